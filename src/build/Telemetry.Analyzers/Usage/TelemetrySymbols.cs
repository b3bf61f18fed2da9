using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Telemetry.Analyzers.Usage;

/// <summary>
/// The runtime's types and the generated API as the C# analyzers see them, resolved once per compilation.
/// Everything is symbol based: a generated Track method is recognised by its shape and the generator's
/// <c>[GeneratedCode]</c> mark, its event by the <c>[TelemetryEvent]</c> struct of the same name, so the
/// analyzers work the same on events generated into this compilation or into a referenced assembly.
/// </summary>
internal sealed class TelemetrySymbols
{
    /// <summary>Tool name the generator writes into <c>[GeneratedCode]</c>.</summary>
    public const string GeneratorName = "Telemetry.Generators";

    private const string TrackPrefix = "Track";
    private const string RuntimeAssemblyName = "Telemetry.Runtime";

    private readonly ConcurrentDictionary<IMethodSymbol, EventTypeInfo?> _trackMethods = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<INamedTypeSymbol, EventTypeInfo?> _events = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<INamedTypeSymbol, bool> _generatedTypes = new(SymbolEqualityComparer.Default);
    private readonly Lazy<IReadOnlyDictionary<string, EventTypeInfo>> _eventsByName;

    private TelemetrySymbols(Compilation compilation, INamedTypeSymbol client, INamedTypeSymbol eventAttribute)
    {
        Compilation = compilation;
        Client = client;
        EventAttribute = eventAttribute;
        SamplingAttribute = compilation.GetTypeByMetadataName("Telemetry.Runtime.SamplingAttribute");
        HighFrequencyAttribute = compilation.GetTypeByMetadataName("Telemetry.Runtime.HighFrequencyAttribute");
        AggregateOfAttribute = compilation.GetTypeByMetadataName("Telemetry.Runtime.AggregateOfAttribute");
        DataClassificationAttribute = compilation.GetTypeByMetadataName("Microsoft.Extensions.Compliance.Classification.DataClassificationAttribute");
        GeneratedCodeAttribute = compilation.GetTypeByMetadataName("System.CodeDom.Compiler.GeneratedCodeAttribute");
        _eventsByName = new Lazy<IReadOnlyDictionary<string, EventTypeInfo>>(IndexEvents);
    }

    public Compilation Compilation { get; }

    /// <summary><c>Telemetry.Runtime.ITelemetryClient</c>.</summary>
    public INamedTypeSymbol Client { get; }

    /// <summary><c>Telemetry.Runtime.TelemetryEventAttribute</c>.</summary>
    public INamedTypeSymbol EventAttribute { get; }

    public INamedTypeSymbol? SamplingAttribute { get; }

    public INamedTypeSymbol? HighFrequencyAttribute { get; }

    public INamedTypeSymbol? AggregateOfAttribute { get; }

    /// <summary><c>Microsoft.Extensions.Compliance.Classification.DataClassificationAttribute</c> (base of <c>[PersonalData]</c>).</summary>
    public INamedTypeSymbol? DataClassificationAttribute { get; }

    public INamedTypeSymbol? GeneratedCodeAttribute { get; }

    /// <summary>Every generated event type of the compilation and of the assemblies it references that use the runtime, by catalog name.</summary>
    public IReadOnlyDictionary<string, EventTypeInfo> EventsByName => _eventsByName.Value;

    /// <summary>Null when the compilation does not reference Telemetry.Runtime (then there is no generated API to check).</summary>
    public static TelemetrySymbols? Create(Compilation compilation)
    {
        var client = compilation.GetTypeByMetadataName("Telemetry.Runtime.ITelemetryClient");
        var attribute = compilation.GetTypeByMetadataName("Telemetry.Runtime.TelemetryEventAttribute");
        return client is null || attribute is null ? null : new TelemetrySymbols(compilation, client, attribute);
    }

    /// <summary>The event a generated <c>TrackXxx(this ITelemetryClient telemetry, ...)</c> method tracks, or null for any other method.</summary>
    public EventTypeInfo? TrackedEvent(IMethodSymbol method)
    {
        method = (method.ReducedFrom ?? method).OriginalDefinition;
        if (!method.IsStatic || !method.IsExtensionMethod || method.Parameters.Length == 0 ||
            method.Name.Length <= TrackPrefix.Length || !method.Name.StartsWith(TrackPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        return _trackMethods.GetOrAdd(method, ResolveTrackMethod);
    }

    /// <summary>The catalog facts of a generated event type, or null when <paramref name="type"/> has no <c>[TelemetryEvent]</c>.</summary>
    public EventTypeInfo? Event(ITypeSymbol? type)
    {
        if (type is not INamedTypeSymbol named || named.TypeKind != TypeKind.Struct) return null;
        return _events.GetOrAdd(named.OriginalDefinition, ReadEvent);
    }

    /// <summary>The generated Track method of <paramref name="info"/>: a static class in the event's namespace declares it.</summary>
    public IMethodSymbol? FindTrackMethod(EventTypeInfo info)
    {
        var ns = info.Type.ContainingNamespace;
        if (ns is null) return null;
        foreach (var type in ns.GetTypeMembers())
        {
            if (!type.IsStatic) continue;
            foreach (var member in type.GetMembers(info.TrackMethodName))
            {
                if (member is IMethodSymbol m && SymbolEqualityComparer.Default.Equals(TrackedEvent(m)?.Type, info.Type)) return m;
            }
        }

        return null;
    }

    /// <summary>True for a type the Telemetry generator emitted (its <c>[GeneratedCode("Telemetry.Generators", ...)]</c>), or a type nested in one.</summary>
    public bool IsGeneratedByTelemetry(INamedTypeSymbol? type)
    {
        for (var t = type; t is not null; t = t.ContainingType)
        {
            if (_generatedTypes.GetOrAdd(t.OriginalDefinition, HasGeneratorMark)) return true;
        }

        return false;
    }

    /// <summary>The first attribute of <paramref name="symbol"/> that derives from <c>DataClassificationAttribute</c>, or null.</summary>
    public AttributeData? Classification(ISymbol symbol) => Classification(symbol.GetAttributes());

    /// <summary>The first attribute in <paramref name="attributes"/> that derives from <c>DataClassificationAttribute</c>, or null.</summary>
    public AttributeData? Classification(IEnumerable<AttributeData> attributes)
    {
        if (DataClassificationAttribute is null) return null;
        foreach (var a in attributes)
        {
            for (var t = a.AttributeClass; t is not null; t = t.BaseType)
            {
                if (SymbolEqualityComparer.Default.Equals(t, DataClassificationAttribute)) return a;
            }
        }

        return null;
    }

    private EventTypeInfo? ResolveTrackMethod(IMethodSymbol method)
    {
        if (!SymbolEqualityComparer.Default.Equals(method.Parameters[0].Type, Client)) return null;
        var container = method.ContainingType;
        if (container is null || !IsGeneratedByTelemetry(container) || container.ContainingNamespace is null) return null;
        foreach (var candidate in container.ContainingNamespace.GetTypeMembers(method.Name.Substring(TrackPrefix.Length)))
        {
            if (candidate.Arity == 0 && Event(candidate) is { } info) return info;
        }

        return null;
    }

    private bool HasGeneratorMark(INamedTypeSymbol type)
    {
        if (GeneratedCodeAttribute is null) return false;
        foreach (var a in type.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(a.AttributeClass, GeneratedCodeAttribute) &&
                a.ConstructorArguments.Length > 0 && a.ConstructorArguments[0].Value is string tool &&
                string.Equals(tool, GeneratorName, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private EventTypeInfo? ReadEvent(INamedTypeSymbol type)
    {
        string? name = null;
        var sampling = 1.0;
        string? aggregatedInto = null;
        var localOnly = false;
        var isAggregate = false;
        var isHighFrequency = false;
        foreach (var a in type.GetAttributes())
        {
            var cls = a.AttributeClass;
            if (SymbolEqualityComparer.Default.Equals(cls, EventAttribute))
            {
                name = a.ConstructorArguments.Length > 0 ? a.ConstructorArguments[0].Value as string : null;
            }
            else if (SymbolEqualityComparer.Default.Equals(cls, SamplingAttribute) && a.ConstructorArguments.Length > 0 && a.ConstructorArguments[0].Value is double rate)
            {
                sampling = rate;
            }
            else if (SymbolEqualityComparer.Default.Equals(cls, HighFrequencyAttribute))
            {
                isHighFrequency = true;
                foreach (var named in a.NamedArguments)
                {
                    if (named.Key == "AggregatedInto") aggregatedInto = named.Value.Value as string;
                    else if (named.Key == "LocalOnly" && named.Value.Value is bool b) localOnly = b;
                }
            }
            else if (SymbolEqualityComparer.Default.Equals(cls, AggregateOfAttribute))
            {
                isAggregate = true;
            }
        }

        return name is null ? null : new EventTypeInfo(name, type, sampling, isHighFrequency, aggregatedInto, localOnly, isAggregate);
    }

    private IReadOnlyDictionary<string, EventTypeInfo> IndexEvents()
    {
        var result = new Dictionary<string, EventTypeInfo>(StringComparer.Ordinal);
        Walk(Compilation.Assembly.GlobalNamespace, result, onlyPublic: false);
        foreach (var assembly in Compilation.SourceModule.ReferencedAssemblySymbols)
        {
            // Only assemblies compiled against the runtime can hold generated events.
            if (assembly.Name == RuntimeAssemblyName || !assembly.Modules.Any(m => m.ReferencedAssemblies.Any(r => r.Name == RuntimeAssemblyName))) continue;
            Walk(assembly.GlobalNamespace, result, onlyPublic: true);
        }

        return result;
    }

    private void Walk(INamespaceSymbol ns, Dictionary<string, EventTypeInfo> into, bool onlyPublic)
    {
        foreach (var member in ns.GetMembers())
        {
            if (member is INamespaceSymbol child)
            {
                Walk(child, into, onlyPublic);
            }
            else if (member is INamedTypeSymbol type && (!onlyPublic || type.DeclaredAccessibility == Accessibility.Public) &&
                     Event(type) is { } info && !into.ContainsKey(info.Name))
            {
                into.Add(info.Name, info);
            }
        }
    }
}

/// <summary>The catalog facts a generated event struct carries in its attributes.</summary>
/// <param name="Name">Catalog name from <c>[TelemetryEvent]</c>.</param>
/// <param name="Type">The event struct.</param>
/// <param name="Sampling">Rate from <c>[Sampling]</c> (1 when absent).</param>
/// <param name="IsHighFrequency">True when the struct has <c>[HighFrequency]</c>.</param>
/// <param name="AggregatedInto">The aggregate event fed by its Track method, if any.</param>
/// <param name="LocalOnly">True when it never leaves the process as itself.</param>
/// <param name="IsAggregate">True for a derived aggregate event (<c>[AggregateOf]</c>).</param>
internal sealed record EventTypeInfo(string Name, INamedTypeSymbol Type, double Sampling, bool IsHighFrequency, string? AggregatedInto, bool LocalOnly, bool IsAggregate)
{
    /// <summary>The generated Track method's name: <c>Track</c> + the struct's name.</summary>
    public string TrackMethodName => "Track" + Type.Name;

    /// <summary>
    /// True when every call may be sent: sampled above 1 %, not aggregated and not local-only. Those are the events
    /// TEL4003 watches in high-frequency code (aggregated and local-only events are recorded in process).
    /// </summary>
    public bool IsCostlyPerCall => !IsAggregate && AggregatedInto is null && !LocalOnly && Sampling > 0.01;

    /// <summary>The metadata name of the struct (for <see cref="Compilation.GetTypeByMetadataName"/>).</summary>
    public string MetadataName => TelemetrySymbolNames.MetadataName(Type);
}

/// <summary>Names of symbols as code fixes find them again.</summary>
internal static class TelemetrySymbolNames
{
    /// <summary><c>Namespace.Outer+Inner</c>, the form <see cref="Compilation.GetTypeByMetadataName"/> takes.</summary>
    public static string MetadataName(INamedTypeSymbol type)
    {
        var name = type.MetadataName;
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType) name = outer.MetadataName + "+" + name;
        var ns = type.ContainingNamespace;
        return ns is null || ns.IsGlobalNamespace ? name : ns.ToDisplayString() + "." + name;
    }
}
