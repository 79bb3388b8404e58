"""Web dashboard: a FastAPI app served by `oneprice serve`."""
