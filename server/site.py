"""Blueprint: the home page."""

from __future__ import annotations

from flask import Blueprint, render_template

from .graph import current as graph

bp = Blueprint("site", __name__)


@bp.route("/")
def home():
    return render_template("home.html", namespace=graph().space.namespace)
