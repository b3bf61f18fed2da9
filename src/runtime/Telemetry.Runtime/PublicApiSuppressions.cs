using System.Diagnostics.CodeAnalysis;

// RS0026 (several public overloads with optional parameters) and RS0027 (the overload with optional parameters should
// have the most parameters) guard against calls that bind differently after an optional parameter is added. Each
// overload pair below is told apart by its required parameters, so no call can bind to the other overload; they are
// kept as they are (docs/architecture.md, "Public surface").

// CaptureException(exception, level = Error, tags = null, fingerprint = null) is what apps call; the overload with the
// required (mechanism, handled) pair is what the hooks call (unhandled exceptions, the ASP.NET Core exception handler,
// the Blazor error boundary).
[assembly: SuppressMessage("ApiDesign", "RS0026", Justification = "Told apart by the required (mechanism, handled) parameters.", Scope = "member",
    Target = "~M:Telemetry.Runtime.TelemetryErrorExtensions.CaptureException(Telemetry.Runtime.ITelemetryClient,System.Exception,Telemetry.Runtime.ErrorLevel,System.Collections.Generic.IEnumerable{System.Collections.Generic.KeyValuePair{System.String,System.String}},System.String)")]
[assembly: SuppressMessage("ApiDesign", "RS0026", Justification = "Told apart by the required (mechanism, handled) parameters.", Scope = "member",
    Target = "~M:Telemetry.Runtime.TelemetryErrorExtensions.CaptureException(Telemetry.Runtime.ITelemetryClient,System.Exception,Telemetry.Runtime.ErrorMechanism,System.Boolean,Telemetry.Runtime.ErrorLevel,System.Collections.Generic.IEnumerable{System.Collections.Generic.KeyValuePair{System.String,System.String}})")]
[assembly: SuppressMessage("ApiDesign", "RS0027", Justification = "Told apart by the required (mechanism, handled) parameters.", Scope = "member",
    Target = "~M:Telemetry.Runtime.TelemetryErrorExtensions.CaptureException(Telemetry.Runtime.ITelemetryClient,System.Exception,Telemetry.Runtime.ErrorLevel,System.Collections.Generic.IEnumerable{System.Collections.Generic.KeyValuePair{System.String,System.String}},System.String)")]

// The compact EventDescriptor constructor is what generated code calls, naming only the facts that differ from the
// defaults; the full constructor (every fact, the properties as descriptors) serves hand-written events. The compact
// one takes the properties as a string and a schema table, so no call matches both.
[assembly: SuppressMessage("ApiDesign", "RS0027", Justification = "Told apart by the types of the properties and schema parameters.", Scope = "member",
    Target = "~M:Telemetry.Runtime.EventDescriptor.#ctor(System.String,System.Int32,Telemetry.Runtime.EventTier,System.Double,System.String,Telemetry.Runtime.EventSchemaTable,Telemetry.Runtime.EventStatus,System.Boolean,Telemetry.Runtime.Sensitivity,Telemetry.Runtime.EventFrequency,System.Boolean,System.Double,System.String,System.Int32)")]
[assembly: SuppressMessage("ApiDesign", "RS0026", Justification = "Told apart by the types of the properties and schema parameters.", Scope = "member",
    Target = "~M:Telemetry.Runtime.EventDescriptor.#ctor(System.String,System.Int32,Telemetry.Runtime.EventTier,System.Double,System.String,Telemetry.Runtime.EventSchemaTable,Telemetry.Runtime.EventStatus,System.Boolean,Telemetry.Runtime.Sensitivity,Telemetry.Runtime.EventFrequency,System.Boolean,System.Double,System.String,System.Int32)")]
