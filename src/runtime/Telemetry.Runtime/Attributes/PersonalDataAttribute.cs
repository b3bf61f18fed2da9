using System;
using Microsoft.Extensions.Compliance.Classification;

namespace Telemetry.Runtime;

/// <summary>
/// Marks personal data, both on generated event properties (with the catalog's class and treatment)
/// and on application members (so the TEL4002 analyzer can follow classified values into events).
/// It is a <see cref="DataClassificationAttribute"/> of the <see cref="TaxonomyName"/> taxonomy, so
/// Microsoft.Extensions.Compliance redaction recognises it too.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter | AttributeTargets.ReturnValue, AllowMultiple = false)]
public sealed class PersonalDataAttribute : DataClassificationAttribute
{
    /// <summary>Taxonomy name of the classifications this attribute carries.</summary>
    public const string TaxonomyName = "Telemetry";

    /// <summary>Marks personal data of <paramref name="piiClass"/> with no telemetry treatment stated.</summary>
    public PersonalDataAttribute(PiiClass piiClass)
        : this(piiClass, PiiTreatment.Drop)
    {
    }

    /// <summary>Marks personal data and the treatment applied before it leaves the process.</summary>
    public PersonalDataAttribute(PiiClass piiClass, PiiTreatment treatment)
        : base(new DataClassification(TaxonomyName, piiClass.ToString()))
    {
        PiiClass = piiClass;
        Treatment = treatment;
    }

    /// <summary>The class of personal data.</summary>
    public PiiClass PiiClass { get; }

    /// <summary>What leaves the process.</summary>
    public PiiTreatment Treatment { get; }
}
