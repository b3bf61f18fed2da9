using Microsoft.CodeAnalysis.Testing;
using Telemetry.Analyzers.CSharp.Tests.TestSupport;
using Verify = Telemetry.Analyzers.CSharp.Tests.TestSupport.TelemetryAnalyzerTest<Telemetry.Analyzers.Usage.HighFrequencyTrackAnalyzer>;

namespace Telemetry.Analyzers.CSharp.Tests.Usage;

public class HighFrequencyTrackAnalyzerTests
{
    private const string Prelude = """
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using Telemetry.Events;
        using Telemetry.Runtime;

        class Canvas
        {
            public event EventHandler? PointerMoved;
            public event EventHandler? MouseMove;
            public event EventHandler? Click;
            public void Post(Action action) => action();
        }

        class PointerEventArgs : EventArgs { }

        """;

    private static DiagnosticResult Zoom(int markup, string where) =>
        new DiagnosticResult(Descriptors.HighFrequencyTrack).WithLocation(markup).WithArguments("chart.zoom", "1", where);

    [Fact]
    public Task Track_inside_any_loop_is_reported() =>
        Verify.VerifyAsync(Catalogs.Both(), Prelude + """
            class C
            {
                void M(ITelemetryClient client, List<int> levels, int n)
                {
                    for (var i = 0; i < n; i++) {|#0:client.TrackChartZoom(i)|};
                    foreach (var level in levels) {|#1:client.TrackChartZoom(level)|};
                    while (n-- > 0) {|#2:client.TrackChartZoom(n)|};
                    do { {|#3:client.TrackWatchlistAdd("BTC/USDT", WatchlistAddSource.Chart)|}; } while (n++ < 3);
                }
            }
            """,
            Zoom(0, "inside a loop"),
            Zoom(1, "inside a loop"),
            Zoom(2, "inside a loop"),
            new DiagnosticResult(Descriptors.HighFrequencyTrack).WithLocation(3).WithArguments("watchlist.add", "0.1", "inside a loop"));

    [Fact]
    public Task PeriodicTimer_loop_of_a_second_or_more_is_not_reported_like_any_other_slow_timer() =>
        Verify.VerifyAsync(Catalogs.Both(), Prelude + """
            class Poller
            {
                private readonly System.Threading.PeriodicTimer _field = new(TimeSpan.FromSeconds(1));

                async Task Run(ITelemetryClient client, System.Threading.CancellationToken ct)
                {
                    using var timer = new System.Threading.PeriodicTimer(TimeSpan.FromSeconds(5));
                    while (await timer.WaitForNextTickAsync(ct)) client.TrackChartZoom(1);
                    while (await _field.WaitForNextTickAsync(ct)) client.TrackChartZoom(2);
                }
            }
            """);

    [Fact]
    public Task PeriodicTimer_loop_under_a_second_is_reported_with_its_period() =>
        Verify.VerifyAsync(Catalogs.Both(), Prelude + """
            class Poller
            {
                async Task Run(ITelemetryClient client, System.Threading.CancellationToken ct)
                {
                    var timer = new System.Threading.PeriodicTimer(TimeSpan.FromMilliseconds(100));
                    while (await timer.WaitForNextTickAsync(ct)) {|#0:client.TrackChartZoom(1)|};
                }
            }
            """,
            Zoom(0, "in a PeriodicTimer loop every 100 ms"));

    [Fact]
    public Task Track_in_a_method_named_like_a_high_frequency_handler_is_reported() =>
        Verify.VerifyAsync(Catalogs.Both(), Prelude + """
            class View
            {
                ITelemetryClient _client = null!;
                protected void OnPointerMoved(PointerEventArgs e) => {|#0:_client.TrackChartZoom(1)|};
                void Chart_MouseWheel(object? sender, EventArgs e) => {|#1:_client.TrackChartZoom(2)|};
                void CompositionTarget_Rendering(object? sender, EventArgs e) => {|#2:_client.TrackChartZoom(3)|};
                void Update() => {|#3:_client.TrackChartZoom(4)|};
            }
            """,
            Zoom(0, "in 'OnPointerMoved', a pointer-move handler"),
            Zoom(1, "in 'Chart_MouseWheel', a mouse-wheel handler"),
            Zoom(2, "in 'CompositionTarget_Rendering', a per-frame callback"),
            Zoom(3, "in 'Update', a per-frame update"));

    [Fact]
    public Task Track_in_a_lambda_subscribed_to_a_high_frequency_event_is_reported() =>
        Verify.VerifyAsync(Catalogs.Both(), Prelude + """
            class View
            {
                void Wire(Canvas canvas, ITelemetryClient client)
                {
                    canvas.PointerMoved += (s, e) => {|#0:client.TrackChartZoom(1)|};
                    canvas.MouseMove += delegate { canvas.Post(() => {|#1:client.TrackChartZoom(2)|}); };
                }
            }
            """,
            Zoom(0, "in a handler of the 'PointerMoved' event"),
            Zoom(1, "in a handler of the 'MouseMove' event"));

    [Fact]
    public Task Track_in_a_method_subscribed_to_a_high_frequency_event_is_reported() =>
        Verify.VerifyAsync(Catalogs.Both(), Prelude + """
            class View
            {
                ITelemetryClient _client = null!;
                void Wire(Canvas canvas) => canvas.PointerMoved += Moved;
                void Moved(object? sender, EventArgs e) => {|#0:_client.TrackChartZoom(1)|};
            }
            """,
            Zoom(0, "in 'Moved', a handler of the 'PointerMoved' event"));

    [Fact]
    public Task Track_in_a_fast_timer_callback_is_reported() =>
        Verify.VerifyAsync(Catalogs.Both(), Prelude + """
            class Poller
            {
                ITelemetryClient _client = null!;
                System.Threading.Timer? _fast, _tick;
                System.Timers.Timer _elapsed = new(50);

                void Start()
                {
                    _fast = new System.Threading.Timer(_ => {|#0:_client.TrackChartZoom(1)|}, null, 0, 100);
                    _tick = new System.Threading.Timer(Tick, null, TimeSpan.Zero, TimeSpan.FromMilliseconds(250));
                    _elapsed.Elapsed += (s, e) => {|#1:_client.TrackChartZoom(2)|};
                    var local = new System.Timers.Timer { Interval = 500 };
                    local.Elapsed += (s, e) => {|#2:_client.TrackChartZoom(3)|};
                }

                void Tick(object? state) => {|#3:_client.TrackChartZoom(4)|};
            }
            """,
            Zoom(0, "in a timer callback that runs every 100 ms"),
            Zoom(1, "in a timer callback that runs every 50 ms"),
            Zoom(2, "in a timer callback that runs every 500 ms"),
            Zoom(3, "in 'Tick', a timer callback that runs every 250 ms"));

    [Fact]
    public Task Aggregated_sampled_and_ordinary_contexts_are_not_reported() =>
        Verify.VerifyAsync(Catalogs.Both(), Prelude + """
            class View
            {
                ITelemetryClient _client = null!;
                System.Threading.Timer? _slow;

                void Wire(Canvas canvas, List<int> xs)
                {
                    // Aggregated (local only) and sampled at 0.01: cheap per call.
                    foreach (var x in xs) _client.TrackChartCrosshairMove(x, "BTC/USDT");
                    foreach (var x in xs) _client.TrackChartHoverSample(x);
                    canvas.PointerMoved += (s, e) => _client.TrackChartCrosshairMove(1, "BTC/USDT");

                    // Once per click, once per 5 s, in an ordinary method, in a foreach collection expression.
                    canvas.Click += (s, e) => _client.TrackChartZoom(1);
                    _slow = new System.Threading.Timer(_ => _client.TrackChartZoom(2), null, 0, 5000);
                    foreach (var x in Levels()) { }
                    Func<int> later = () => { _client.TrackChartZoom(3); return 0; };
                }

                IEnumerable<int> Levels() { _client.TrackChartZoom(4); return new[] { 1 }; }
                void Update(string settingName) => _client.TrackChartZoom(5);
                void ResizeImage(int width) => _client.TrackChartZoom(width);
                void ScrollToTop(object? sender, EventArgs e) => _client.TrackChartZoom(6);
            }
            """);
}
