using System;
using System.Collections.Generic;
using Telemetry.Catalog.Text;
using Telemetry.Privacy;

namespace Telemetry.Catalog.Privacy;

/// <summary>
/// Judges whether a property (or a C# member, for the TEL4002 analyzer) looks like personal data,
/// by its name, its description and its example values. One place for the rule, shared by the
/// catalog validation (TEL1001) and the C# analyzers.
/// </summary>
public static class PiiHeuristics
{
    // Single words that mark personal data on their own.
    private static readonly HashSet<string> Words = new(StringComparer.Ordinal)
    {
        "email", "emails", "mail", "phone", "mobile", "ip", "ipv4", "ipv6", "address", "street", "zip", "zipcode",
        "postcode", "postal", "birth", "birthday", "birthdate", "dob", "ssn", "passport", "iban", "card", "cvv",
        "note", "notes", "comment", "comments", "message", "messages", "firstname", "lastname", "fullname",
        "surname", "username", "password", "telephone", "msisdn", "geolocation", "latitude", "longitude",
    };

    // Word pairs (adjacent tokens) that mark personal data.
    private static readonly HashSet<string> Pairs = new(StringComparer.Ordinal)
    {
        "e_mail", "ip_address", "first_name", "last_name", "full_name", "display_name", "user_name", "given_name",
        "family_name", "person_name", "account_number", "card_number", "credit_card", "free_text", "user_input",
        "input_text", "social_security", "tax_id", "national_id", "home_address", "date_of", "phone_number",
    };

    private static readonly string[] DescriptionPhrases =
    {
        "e-mail", "email address", "phone number", "mobile number", "free text", "free-text", "user input",
        "typed by the user", "entered by the user", "personal data", "personally identifiable", "home address",
        "postal address", "full name", "first name", "last name", "date of birth", "ip address", "credit card",
        "card number", "social security", "passport", "iban",
    };

    /// <summary>Why a name looks like personal data, or null.</summary>
    public static string? JudgeName(string name)
    {
        var tokens = IdentifierWords.Split(name);
        for (var i = 0; i < tokens.Count; i++)
        {
            if (Words.Contains(tokens[i])) return $"its name contains '{tokens[i]}'";
            if (i + 1 < tokens.Count && Pairs.Contains(tokens[i] + "_" + tokens[i + 1]))
            {
                return $"its name contains '{tokens[i]}_{tokens[i + 1]}'";
            }
        }

        return null;
    }

    // Last words that make a C# name an identifier, a measure or a stand-in for something, not the personal data itself:
    // MessageId, EmailCount, EmailMarker (the text that replaces a scrubbed e-mail).
    private static readonly HashSet<string> NonContentSuffixes = new(StringComparer.Ordinal)
    {
        "id", "ids", "key", "keys", "count", "counts", "type", "kind", "index", "length", "hash", "format", "template", "enabled", "status",
        "marker", "placeholder",
    };

    // Words before "address" that make it a machine's address, not a person's: ServerAddress, RemoteAddress, BaseAddress.
    private static readonly HashSet<string> TechnicalQualifiers = new(StringComparer.Ordinal)
    {
        "server", "host", "remote", "local", "base", "endpoint", "web", "url", "mac", "memory", "network", "listen", "bind", "proxy",
        "gateway", "broadcast", "service", "socket", "node", "peer", "return", "callback", "redirect", "start", "end",
    };

    /// <summary>
    /// The name rule for C# values (TEL4002), narrower than <see cref="JudgeName"/> for catalog properties: whole words as
    /// there, but a name whose last word makes it an identifier or a measure (<c>MessageId</c>, <c>EmailCount</c>) and
    /// "address" qualified as a machine's (<c>ServerAddress</c>) do not count. Booleans and numbers are never judged by name.
    /// </summary>
    public static string? JudgeCodeName(string name)
    {
        var tokens = IdentifierWords.Split(name);
        if (tokens.Count > 1 && NonContentSuffixes.Contains(tokens[tokens.Count - 1])) return null;
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i] == "address" && i > 0 && TechnicalQualifiers.Contains(tokens[i - 1])) return null;
        }

        return JudgeName(name);
    }

    /// <summary>Why a description looks like it describes personal data, or null.</summary>
    public static string? JudgeDescription(string? description)
    {
        if (string.IsNullOrEmpty(description)) return null;
        var lower = description!.ToLowerInvariant();
        foreach (var phrase in DescriptionPhrases)
        {
            if (lower.IndexOf(phrase, StringComparison.Ordinal) >= 0) return $"its description mentions '{phrase}'";
        }

        return null;
    }

    /// <summary>
    /// Why an example value looks like personal data, or null: the runtime scrubber's own rule set
    /// (<see cref="PiiRules"/>: e-mail, secrets, IBAN, card, SSN, IP address, phone), so an example TEL1001
    /// accepts is one the scrubber would send unchanged, and one it flags is one the scrubber would replace.
    /// </summary>
    public static string? JudgeExample(string? example)
    {
        if (string.IsNullOrWhiteSpace(example)) return null;
        var kind = PiiRules.Scan(example!);
        if (kind == PiiKind.None) return null;
        var shown = example!.Trim();
        if (shown.Length > 64) shown = shown.Substring(0, 64) + "…";
        return $"its example '{shown}' looks like {Describe(kind)}";
    }

    /// <summary>Luhn check over the digits of <paramref name="value"/> (spaces and dashes ignored), 13 to 19 digits: the card rule of <see cref="PiiRules"/>.</summary>
    public static bool IsLuhnValid(string value) => PiiRules.IsLuhnCard(value);

    private static string Describe(PiiKind kind) => kind switch
    {
        PiiKind.Email => "an e-mail address",
        PiiKind.Secret => "a secret (token, key or password)",
        PiiKind.Iban => "an IBAN",
        PiiKind.Card => "a card number",
        PiiKind.Ssn => "a social security number",
        PiiKind.IpAddress => "an IP address",
        _ => "a phone number",
    };
}
