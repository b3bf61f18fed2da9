using System.Diagnostics.CodeAnalysis;

// RS0026 (several public overloads with optional parameters) guards against calls that bind differently after an
// optional parameter is added. AddTelemetryIngest(configuration, configure = null) and AddTelemetryIngest(configure = null)
// are told apart by the required IConfiguration parameter, so no call can bind to the other overload; both stay
// (docs/architecture.md, "Public surface").
[assembly: SuppressMessage("ApiDesign", "RS0026", Justification = "Told apart by the required IConfiguration parameter.", Scope = "member",
    Target = "~M:Microsoft.Extensions.DependencyInjection.TelemetryIngestServiceCollectionExtensions.AddTelemetryIngest(Microsoft.Extensions.DependencyInjection.IServiceCollection,Microsoft.Extensions.Configuration.IConfiguration,System.Action{Telemetry.Ingest.IngestOptions})")]
[assembly: SuppressMessage("ApiDesign", "RS0026", Justification = "Told apart by the required IConfiguration parameter.", Scope = "member",
    Target = "~M:Microsoft.Extensions.DependencyInjection.TelemetryIngestServiceCollectionExtensions.AddTelemetryIngest(Microsoft.Extensions.DependencyInjection.IServiceCollection,System.Action{Telemetry.Ingest.IngestOptions})")]
