using System;
using System.Collections.Generic;
using Telemetry.Catalog.Model;

namespace Telemetry.Catalog;

/// <summary>
/// The one rule of who owns a name across catalog files, and the one place it is applied: files are taken in ordinal
/// path order and the first one that claims a name owns it. A name is an event's or metric's wire name, a shared
/// definition's name, or a C# type the generator writes for it (<see cref="GeneratedNames"/>). Both answers of
/// <see cref="CatalogSet"/> ask it: the cross-file diagnostics (<see cref="CatalogSet.CrossFileChecks"/>: the analyzers,
/// the tool, the ingest server, the MSBuild task) and what the generator generates (<see cref="CatalogSet.DecideOwnership"/>),
/// so a name reported as a duplicate is the one name not generated.
/// </summary>
internal sealed class CrossFileNames
{
    private readonly Dictionary<string, Claim> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Claim> _types = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Claim> _definitions = new(StringComparer.Ordinal);

    /// <summary>How a claim was decided.</summary>
    public enum Outcome
    {
        /// <summary>The claimant owns the name.</summary>
        Owner,

        /// <summary>The file that owns the name claims it again (the file's own rules report that; it is not generated twice).</summary>
        AgainInOwnerFile,

        /// <summary>An earlier file owns the wire name (TEL0004).</summary>
        Duplicate,

        /// <summary>An earlier claim of another name gives the same C# type name (TEL0003).</summary>
        SameCSharpName,
    }

    /// <summary>Who claimed a name: the file, what it is (an event name or <c>definition 'x'</c>) and where, when known.</summary>
    public readonly record struct Claim(string File, string What, SourceSpan? Location);

    /// <summary>The decision on one claim and the earlier claim it loses to (the claim itself when it owns the name).</summary>
    public readonly record struct Verdict(Outcome Outcome, Claim First, string TypeName);

    /// <summary>A shared definition: its name is unique across files; an enum definition also claims its C# enum type.</summary>
    public Verdict Definition(string file, string name, bool generatesEnum, SourceSpan? location)
    {
        var claim = new Claim(file, "definition '" + name + "'", location);
        var type = GeneratedNames.DefinitionEnum(name);
        if (_definitions.TryGetValue(name, out var first)) return new Verdict(Outcome.Duplicate, first, type);
        _definitions[name] = claim;
        if (generatesEnum && !_types.ContainsKey(type)) _types[type] = claim;
        return new Verdict(Outcome.Owner, claim, type);
    }

    /// <summary>An event: its wire name (shared with metrics) and its C# record struct.</summary>
    public Verdict Event(string file, string name, SourceSpan? location)
    {
        var claim = new Claim(file, name, location);
        var type = GeneratedNames.EventType(name);
        if (_names.TryGetValue(name, out var first))
        {
            if (first.File != file) return new Verdict(Outcome.Duplicate, first, type);
            if (_types.TryGetValue(type, out var owner) && owner.What == name) return new Verdict(Outcome.AgainInOwnerFile, first, type);
        }

        if (_types.TryGetValue(type, out var other) && other.What != name) return new Verdict(Outcome.SameCSharpName, other, type);
        if (!_names.ContainsKey(name)) _names[name] = claim;
        _types[type] = claim;
        return new Verdict(Outcome.Owner, claim, type);
    }

    /// <summary>A metric: its name shares one namespace with event names.</summary>
    public Verdict Metric(string file, string name, SourceSpan? location)
    {
        var claim = new Claim(file, name, location);
        if (_names.TryGetValue(name, out var first))
        {
            return first.File != file ? new Verdict(Outcome.Duplicate, first, "") : new Verdict(Outcome.AgainInOwnerFile, first, "");
        }

        _names[name] = claim;
        return new Verdict(Outcome.Owner, claim, "");
    }
}
