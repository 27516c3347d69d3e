"""The officials' decision form: one decision and a note (the service judges the rest)."""

from __future__ import annotations

from typing import Any

from wtforms.fields.choices import SelectChoice
from wtforms.fields.core import UnboundField

from catalog.certificates import claims
from catalog.review.decision_steps import MAX_NOTE
from catalog.trust.forms import CertificateForm
from catalog.web.fields import radio_choice
from catalog.web.forms_common import Form, paragraph_field

DECISION_LABELS = {
    "approve": "Duyệt",
    "request_changes": "Yêu cầu chỉnh sửa",
    "reject": "Từ chối",
}


class DecisionForm(Form):
    decision = radio_choice("Quyết định", DECISION_LABELS.items(), "Vui lòng chọn một quyết định.")
    note = paragraph_field("Ghi chú cho cơ sở", max_length=MAX_NOTE)

    def __init__(self, *args: object, claim: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if claim:  # a claim is accepted or refused, never sent back
            self.decision.choices = [
                SelectChoice("approve", "Chấp nhận"),
                SelectChoice("reject", "Từ chối"),
            ]


# The certificate's own fields (validated only when the official records it).
CERTIFICATE_FIELDS = tuple(
    name for name, value in vars(CertificateForm).items() if isinstance(value, UnboundField)
)


class ClaimDecisionForm(DecisionForm, CertificateForm):
    """The decision on a listing that claims OCOP stars: the decision, and how the claim is
    settled (claims.SETTLEMENTS); to record, the certificate's fields (validated only then)."""

    claim_action = radio_choice(
        "Phần tự khai OCOP", claims.SETTLEMENTS.items(), "Vui lòng chọn cách xử lý."
    )

    def __init__(self, *args: Any, claim: claims.Claim | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if claim is not None and not self.is_submitted():
            self.stars.data = str(claim.stars)
            self.certificate_no.data = claim.certificate_no
            self.decision_no.data = claim.decision
            self.expires_on.data = claim.expires_on

    def validate(self, extra_validators: Any = None) -> bool:
        approving = self.decision.data == "approve"
        recording = approving and self.claim_action.data == "record"
        skipped = set(CERTIFICATE_FIELDS) if not recording else set()
        if not approving:
            skipped.add("claim_action")
        kept = {}
        for name in skipped:
            kept[name] = self._fields.pop(name)
        try:
            return super().validate(extra_validators)
        finally:
            self._fields.update(kept)

    def settlement(self) -> claims.Settlement | None:
        """The official's answer, once the form validated (None unless approving)."""
        if self.decision.data != "approve":
            return None
        data = self.certificate_data() if self.claim_action.data == "record" else None
        return claims.Settlement(self.claim_action.data, data)
