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

    /// <summary><see cref="Shop"/> plus <c>shop.note</c>, whose free-text <c>text</c> the app fills with an e-mail (TEL4002).</summary>
    public const string ShopTwoEvents = Shop + """
          note:
            description: The user left a note.
            properties:
              text:
                type: string
                description: What the user chose to share.

        """;

    /// <summary>
    /// The app of <see cref="ShopTwoEvents"/>: tracks a checkout and a note holding an e-mail (line 6, column 25: TEL4002), then
    /// prints every event.
    /// </summary>
    public const string ShopTwoEventsProgram = """
        using Telemetry.Events;

        using var telemetry = new Telemetry.Runtime.InMemoryTelemetryClient(new Telemetry.Runtime.TelemetryClientOptions { UserId = "u1" });
        string email = args.Length > 0 ? args[0] : "someone@example.com";
        telemetry.TrackShopCheckout(12.5m, ShopCheckoutMethod.Card);
        telemetry.TrackShopNote(email);
        foreach (var e in telemetry.Events) Console.WriteLine(e);

        """;

    /// <summary><c>catalog/chart.yaml</c> with one error: a high-frequency event with no sampling and no aggregation (TEL2001 at <c>crosshair_move:</c>).</summary>
    public const string UnsampledHighFrequency = """
        feature: chart
        events:
          crosshair_move:
            description: The crosshair moved over the chart.
            frequency: high
            properties:
              price:
                type: double
                description: Price level under the crosshair.

        """;
}
