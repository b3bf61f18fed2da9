using System.Text;
using Telemetry.Privacy;
using Telemetry.Tests.Shared;

namespace Telemetry.Runtime.Tests.Privacy;

/// <summary>
/// The runtime scrubber against the shared corpus (tests/Shared/pii-corpus.tsv); TEL1001 runs the same
/// corpus in the catalog tests and must give the same verdicts.
/// </summary>
public sealed class PiiCorpusTests
{
    public static IEnumerable<object[]> Rows() => PiiCorpus.Rows();

    [Theory]
    [MemberData(nameof(Rows))]
    public void Scrubber_gives_the_corpus_verdict(string row)
    {
        var sample = PiiCorpus.Find(row);
        var scrubbed = PersonalDataScrubber.Default.Scrub(sample.Text);
        Assert.Equal(sample.IsPersonal, !ReferenceEquals(scrubbed, sample.Text));
        Assert.Equal(sample.IsPersonal, PersonalDataScrubber.Default.ContainsPersonalData(sample.Text));
        if (sample.IsPersonal)
        {
            Assert.Equal(sample.Kind, Name(PiiRules.Scan(sample.Text)));
            Assert.Contains("[", scrubbed);
        }
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void The_json_stage_gives_the_corpus_verdict_inside_an_event(string row)
    {
        var sample = PiiCorpus.Find(row);
        var json = "{\"event\":\"x\",\"nested\":{\"list\":[" + System.Text.Json.JsonSerializer.Serialize(sample.Text) + "]}}";
        var scrubber = new JsonPersonalDataScrubber(PersonalDataScrubber.Default);
        var output = scrubber.Scrub(Encoding.UTF8.GetBytes(json), trustedLeadingProperties: 1, out var replaced);
        Assert.Equal(sample.IsPersonal ? 1 : 0, replaced);
        if (!sample.IsPersonal) Assert.Equal(json, Encoding.UTF8.GetString(output));
    }

    [Fact]
    public void The_pre_check_never_skips_a_string_a_rule_would_change()
    {
        // Random strings over the characters the rules care about, plus every corpus sample cut and joined.
        var random = new Random(20251110);
        const string alphabet = "0123456789 .:-+()@=_/abcdefABCDEFxyzKIASJ\tBearer eyJ password key token secret gh_ xox";
        var samples = PiiCorpus.Load().Select(s => s.Text).ToArray();
        for (var i = 0; i < 30_000; i++)
        {
            string value;
            if (i % 3 == 0)
            {
                var a = samples[random.Next(samples.Length)];
                var b = samples[random.Next(samples.Length)];
                value = a[..random.Next(a.Length + 1)] + b[random.Next(b.Length + 1)..];
            }
            else
            {
                var chars = new char[random.Next(1, 40)];
                for (var k = 0; k < chars.Length; k++) chars[k] = alphabet[random.Next(alphabet.Length)];
                value = new string(chars);
            }

            if (PiiRules.MayContain(value))
            {
                // The UTF-8 pre-check of the JSON stage is at least as wide as the one over chars.
                Assert.True(PiiRules.MayContain(Encoding.UTF8.GetBytes(value)), value);
                continue;
            }

            Assert.True(ReferenceEquals(value, PiiRules.Scrub(value)), value);
            Assert.Equal(PiiKind.None, PiiRules.Scan(value));
        }
    }

    [Fact]
    public void Scan_and_scrub_agree_on_random_mixtures()
    {
        var random = new Random(7);
        var samples = PiiCorpus.Load().Select(s => s.Text).ToArray();
        for (var i = 0; i < 5_000; i++)
        {
            var value = samples[random.Next(samples.Length)] + (random.Next(2) == 0 ? " " : ", ") + samples[random.Next(samples.Length)];
            var changed = !ReferenceEquals(value, PiiRules.Scrub(value));
            Assert.True(changed == (PiiRules.Scan(value) != PiiKind.None), value);
        }
    }

    private static string Name(PiiKind kind) => kind switch
    {
        PiiKind.Email => "email",
        PiiKind.Secret => "secret",
        PiiKind.Iban => "iban",
        PiiKind.Card => "card",
        PiiKind.Ssn => "ssn",
        PiiKind.IpAddress => "ip",
        PiiKind.Phone => "phone",
        _ => "none",
    };
}
