"""audit_log"""
