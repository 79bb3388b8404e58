"""The fixed GraphQL documents the Shopify adapter sends, one named operation each.

The sandbox matches these operation names; keep the names stable when editing a document.
"""

from __future__ import annotations

MUTATION_COST = 10
"""Shopify's requested cost of a mutation (the actual cost can be lower)."""

_VARIANT_FIELDS = """
      id
      sku
      price
      inventoryQuantity
      updatedAt
      inventoryItem { id }
      product { id title status updatedAt }
"""

VARIANTS = (
    """
query OnepriceVariants($first: Int!, $after: String, $query: String) {
  productVariants(first: $first, after: $after, query: $query, sortKey: ID) {
    nodes {"""
    + _VARIANT_FIELDS
    + """    }
    pageInfo { hasNextPage endCursor }
  }
}
"""
)

VARIANT_NODES = (
    """
query OnepriceVariantNodes($ids: [ID!]!) {
  nodes(ids: $ids) {
    ... on ProductVariant {"""
    + _VARIANT_FIELDS
    + """    }
  }
}
"""
)

PRIMARY_LOCATION = """
query OnepriceLocation {
  location { id }
}
"""

PRODUCT_BY_HANDLE = (
    """
query OnepriceProductByHandle($handle: String!) {
  productByIdentifier(identifier: {handle: $handle}) {
    id
    variants(first: 5) {
      nodes {"""
    + _VARIANT_FIELDS
    + """      }
    }
  }
}
"""
)

PRODUCT_CREATE = """
mutation OnepriceProductCreate($product: ProductCreateInput!) {
  productCreate(product: $product) {
    product { id }
    userErrors { field message }
  }
}
"""

VARIANTS_CREATE = (
    """
mutation OnepriceVariantsCreate($productId: ID!, $variants: [ProductVariantsBulkInput!]!) {
  productVariantsBulkCreate(productId: $productId, variants: $variants, strategy: REMOVE_STANDALONE_VARIANT) {
    productVariants {"""
    + _VARIANT_FIELDS
    + """    }
    userErrors { field message code }
  }
}
"""
)

VARIANTS_UPDATE = """
mutation OnepriceVariantsUpdate($productId: ID!, $variants: [ProductVariantsBulkInput!]!) {
  productVariantsBulkUpdate(productId: $productId, variants: $variants, allowPartialUpdates: true) {
    productVariants { id price updatedAt }
    userErrors { field message code }
  }
}
"""

PRODUCT_UPDATE = """
mutation OnepriceProductUpdate($product: ProductUpdateInput!) {
  productUpdate(product: $product) {
    product { id title status updatedAt }
    userErrors { field message }
  }
}
"""

SET_QUANTITIES = """
mutation OnepriceSetQuantities($input: InventorySetQuantitiesInput!, $idempotencyKey: String!) {
  inventorySetQuantities(input: $input) @idempotent(key: $idempotencyKey) {
    inventoryAdjustmentGroup { reason changes { name delta } }
    userErrors { field message code }
  }
}
"""


def query_cost(items: int) -> int:
    """Requested cost of a read returning up to `items` nodes: one point, plus one per node."""
    return 1 + max(items, 0)


MAX_NODES = 250
"""Most ids one `nodes` query takes."""
