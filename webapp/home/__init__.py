from webapp.home.tiles import Tile, register_tile
from webapp.home.views import bp

__all__ = ["Tile", "bp", "register_tile"]
