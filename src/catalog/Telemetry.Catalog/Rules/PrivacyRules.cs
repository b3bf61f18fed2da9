using Telemetry.Catalog.Model;
using Telemetry.Catalog.Parsing;
using Telemetry.Catalog.Privacy;
using static Telemetry.Catalog.Parsing.NumberText;

namespace Telemetry.Catalog.Rules;

/// <summary>
/// The personal-data rules: a property that looks like personal data without a pii class (TEL1001), personal data sent
/// raw without a justification (TEL1002), a pii class and treatment that fit each other and the type, and a
/// financial or session-sensitive event sampled below 1.0 (TEL1003).
/// </summary>
internal sealed class PrivacyRules
{
    private readonly FileDiagnostics _file;

    public PrivacyRules(FileDiagnostics file) => _file = file;

    /// <summary>TEL1001 for a property that looks like personal data without a pii class; TEL1002 for personal data sent raw without a justification.</summary>
    public void CheckPii(string owner, PropertySpec spec)
    {
        if (spec.Pii is null)
        {
            var reason = PiiHeuristics.JudgeName(spec.Name) ?? PiiHeuristics.JudgeDescription(spec.Description);
            if (reason is null && (spec.Type == PropertyType.String || spec.ItemType == PropertyType.String))
            {
                foreach (var example in spec.Examples)
                {
                    reason = PiiHeuristics.JudgeExample(example);
                    if (reason is not null) break;
                }
            }

            if (reason is not null)
            {
                Report(DiagnosticIds.UnclassifiedPii, spec.Location,
                    $"Property '{spec.Name}' of '{owner}' looks like personal data ({reason}) but has no 'pii:' class; classify it and choose a treatment");
            }

            return;
        }

        if (spec.Treatment == PiiTreatment.None && string.IsNullOrWhiteSpace(spec.Justification))
        {
            Report(DiagnosticIds.RawPiiWithoutJustification, spec.Location,
                $"Property '{spec.Name}' of '{owner}' sends personal data ({Vocabulary.Name(Vocabulary.PiiClasses, spec.Pii.Value)}) raw without a 'justification:'; choose hash, length, redact or drop, or justify");
        }
    }

    /// <summary>The pii class and the treatment of a property fit each other and its type.</summary>
    public void CheckTreatment(string owner, string name, PropertyType type, PropertyType? effectiveType, PiiClass? pii, bool piiMisspelt, PiiTreatment? treatment, MappingReader reader)
    {
        if (pii is null && !piiMisspelt && treatment is not null && treatment != PiiTreatment.None)
        {
            Report(DiagnosticIds.InvalidStructure, reader.KeySpan("treatment"),
                $"Property '{name}' of '{owner}' has a treatment but no 'pii:' class; add the class (e.g. pii: email)");
        }

        if (pii is not null && treatment is null && reader.Node("treatment") is null)
        {
            Report(DiagnosticIds.InvalidStructure, reader.KeySpan("pii"),
                $"Property '{name}' of '{owner}' is personal data ({Vocabulary.Name(Vocabulary.PiiClasses, pii.Value)}) without 'treatment:' (drop, redact, hash, length or none)");
        }

        if (pii is not null && treatment is PiiTreatment.Length or PiiTreatment.Hash or PiiTreatment.Redact &&
            effectiveType != PropertyType.String)
        {
            Report(DiagnosticIds.InvalidType, reader.KeySpan("treatment"),
                $"Property '{name}' of '{owner}' is {Vocabulary.Name(type)}: treatment '{Vocabulary.Name(Vocabulary.Treatments, treatment!.Value)}' applies to strings only (use drop or none)");
        }

        if (type == PropertyType.Array && pii is not null && treatment is not PiiTreatment.Drop and not PiiTreatment.None)
        {
            Report(DiagnosticIds.InvalidType, reader.KeySpan("pii"),
                $"Property '{name}' of '{owner}' is an array of personal data: only 'drop' or 'none' with a justification apply");
        }
    }

    /// <summary>TEL1003: a financial or session-sensitive event is tracked for every user.</summary>
    public void CheckSensitiveSampling(EventSpec spec, MappingReader reader)
    {
        if (spec.Sensitivity != Sensitivity.None && spec.Sampling < 1.0)
        {
            Report(DiagnosticIds.SensitiveEventSampled, reader.Has("sampling") ? reader.Node("sampling")!.Span : spec.Location,
                $"Event '{spec.Name}' is {Vocabulary.Name(Vocabulary.Sensitivities, spec.Sensitivity)}-sensitive and must be tracked for every user, but sampling is {Format(spec.Sampling)}; set sampling: 1.0");
        }
    }

    private void Report(string id, SourceSpan span, string message) => _file.Report(id, span, message);
}
