namespace Telemetry.Package.Tests.TestSupport;

/// <summary>Catalog files the consumer projects share.</summary>
internal static class Catalogs
{
    /// <summary>
    /// <c>catalog/watchlist.yaml</c>: one event, <c>watchlist.add</c>, with a string, an enum (<c>search</c>, <c>chart</c>)
    /// and an optional decimal.
    /// </summary>
    public const string Watchlist = """
        feature: watchlist
        events:
          add:
            description: A token pair was added to the watchlist.
            sampling: 1.0
            properties:
              symbol:
                type: string
                description: Token pair added.
              source:
                type: enum
                description: Where in the app the pair was added from.
                values: [search, chart]
              price:
                type: decimal
                description: Last traded price of the pair when it was added.
                required: false

        """;

    /// <summary><c>catalog/shop.yaml</c>: <c>shop.checkout</c> with a decimal <c>total</c> and an enum <c>method</c> (<c>card</c>, <c>cash</c>).</summary>
    public const string Shop = """
        feature: shop
        events:
          checkout:
            description: The user paid.
            properties:
              total:
                type: decimal
                description: Amount paid.
              method:
                type: enum
                description: How the user paid.
                values: [card, cash]

        """;
}
