using Telemetry.Events;
using Telemetry.Runtime;

using var telemetry = new ConsoleTelemetryClient(new TelemetryClientOptions { UserId = "user-42", ClientVersion = "1.0.0" });
telemetry.TrackWatchlistAdd("BTC/USDT", WatchlistAddSource.Search);
Console.WriteLine($"events: {telemetry.EventsWritten}");
