"""The floor of `make bench-load`: the smallest Flask app, served by the same gunicorn set-up,
so the product's figures can be read against what Flask and gunicorn cost on this machine."""

from flask import Flask

app = Flask(__name__)


@app.route("/")
def index() -> str:
    return "ok"
