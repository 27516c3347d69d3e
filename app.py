from catalog import create_app

app = create_app()
