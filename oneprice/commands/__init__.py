"""Command modules of the `oneprice` CLI, one per area; oneprice.cli mounts them."""
