namespace ChartPwa;

/// <summary>One candle.</summary>
public readonly record struct Candle(DateTimeOffset Time, double Open, double High, double Low, double Close);

/// <summary>A reproducible hourly price series (a seeded random walk with volatility clusters).</summary>
public static class PriceSeries
{
    public static Candle[] Generate(int count, double start, int seed, DateTimeOffset firstCandle)
    {
        var random = new Random(seed);
        var candles = new Candle[count];
        var price = start;
        var volatility = 0.01;
        for (var i = 0; i < count; i++)
        {
            volatility = Math.Clamp(volatility * (0.9 + random.NextDouble() * 0.2), 0.004, 0.03);
            var open = price;
            var close = Math.Max(1, open * (1 + (random.NextDouble() - 0.5) * 2 * volatility));
            var high = Math.Max(open, close) * (1 + random.NextDouble() * volatility / 2);
            var low = Math.Min(open, close) * (1 - random.NextDouble() * volatility / 2);
            candles[i] = new Candle(firstCandle.AddHours(i), open, high, low, close);
            price = close;
        }

        return candles;
    }
}
