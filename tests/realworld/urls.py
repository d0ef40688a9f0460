"""No views: the gateway is served by FastAPI; oscar's checks want a URLconf."""

urlpatterns: list[object] = []
