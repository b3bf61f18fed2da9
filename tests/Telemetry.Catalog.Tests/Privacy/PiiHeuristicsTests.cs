using Telemetry.Catalog.Privacy;

namespace Telemetry.Catalog.Tests.Privacy;

/// <summary>The one rule for "looks like personal data", shared by TEL1001 and the C# analyzers.</summary>
public sealed class PiiHeuristicsTests
{
    [Theory]
    [InlineData("email")]
    [InlineData("e_mail")]
    [InlineData("userEmail")]
    [InlineData("user_email")]
    [InlineData("phone_number")]
    [InlineData("phone")]
    [InlineData("ip_address")]
    [InlineData("IPAddress")]
    [InlineData("first_name")]
    [InlineData("firstName")]
    [InlineData("last_name")]
    [InlineData("street")]
    [InlineData("zip")]
    [InlineData("birth_date")]
    [InlineData("ssn")]
    [InlineData("passport")]
    [InlineData("iban")]
    [InlineData("card_number")]
    [InlineData("account_number")]
    [InlineData("note")]
    [InlineData("comment")]
    [InlineData("message")]
    [InlineData("free_text")]
    [InlineData("user_input")]
    [InlineData("home-address")]
    public void PersonalDataNameIsFlagged(string name)
    {
        var reason = PiiHeuristics.JudgeName(name);

        Assert.NotNull(reason);
        Assert.Contains("its name contains", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("symbol")]
    [InlineData("price")]
    [InlineData("timeframe")]
    [InlineData("indicator_id")]
    [InlineData("zoom_level")]
    [InlineData("order_type")]
    [InlineData("token_count")]
    [InlineData("screen_x")]
    [InlineData("window_ms")]
    [InlineData("tooltip")]
    [InlineData("ship_count")]
    [InlineData("account_type")]
    [InlineData("user_bucket")]
    public void BenignNameIsNotFlagged(string name) => Assert.Null(PiiHeuristics.JudgeName(name));

    [Fact]
    public void NameReasonQuotesTheMatchingToken()
    {
        Assert.Equal("its name contains 'email'", PiiHeuristics.JudgeName("userEmail"));
        Assert.Equal("its name contains 'account_number'", PiiHeuristics.JudgeName("account_number"));
    }

    [Theory]
    [InlineData("E-mail address of the invitee.")]
    [InlineData("Free text typed by the user.")]
    [InlineData("The user's phone number.")]
    [InlineData("Postal address for the invoice")]
    [InlineData("DATE OF BIRTH")]
    public void PersonalDataDescriptionIsFlagged(string description) => Assert.NotNull(PiiHeuristics.JudgeDescription(description));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Token pair shown on the chart.")]
    [InlineData("Number of candles the visible range moved by.")]
    public void BenignDescriptionIsNotFlagged(string? description) => Assert.Null(PiiHeuristics.JudgeDescription(description));

    [Theory]
    [InlineData("jane@example.com", "e-mail")]
    [InlineData("  jane.doe+tag@mail.example.org ", "e-mail")]
    [InlineData("192.168.0.1", "IP address")]
    [InlineData("2001:db8::1", "IP address")]
    [InlineData("4111 1111 1111 1111", "card number")]
    [InlineData("4111-1111-1111-1111", "card number")]
    [InlineData("5500000000000004", "card number")]
    [InlineData("+49 30 1234567", "phone number")]
    [InlineData("(030) 123 45678", "phone number")]
    public void PersonalDataExampleIsFlagged(string example, string what)
    {
        var reason = PiiHeuristics.JudgeExample(example);

        Assert.NotNull(reason);
        Assert.Contains(what, reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("BTC/USDT")]
    [InlineData("49000.5")]
    [InlineData("2025-11-10")]
    [InlineData("10.11.2025")]
    [InlineData("2025-11-10T12:00:00Z")]
    [InlineData("0193a5c0-11f2-7b3e-8a41-5d0c9e7f2a63")]
    [InlineData("4111111111111112")]
    [InlineData("86400000")]
    [InlineData("1.2.3")]
    [InlineData("rsi-14")]
    public void BenignExampleIsNotFlagged(string? example) => Assert.Null(PiiHeuristics.JudgeExample(example));

    [Theory]
    [InlineData("4111111111111111")]
    [InlineData("4111 1111 1111 1111")]
    [InlineData("4111-1111-1111-1111")]
    [InlineData("5500 0000 0000 0004")]
    [InlineData("378282246310005")]
    [InlineData("0000000000000")]
    public void LuhnAcceptsValidNumbers(string value) => Assert.True(PiiHeuristics.IsLuhnValid(value));

    [Theory]
    [InlineData("4111111111111112")]
    [InlineData("4111 1111 1111 1110")]
    [InlineData("79927398713")] // Luhn-valid, but too short to be a card number
    [InlineData("000000000000")] // 12 digits: cards have 13 to 19, at run time as in the catalog
    [InlineData("4111x111111111111")]
    [InlineData("")]
    [InlineData("   ")]
    public void LuhnRejectsInvalidOrShortNumbers(string value) => Assert.False(PiiHeuristics.IsLuhnValid(value));

    [Theory]
    [InlineData("userEmail", new[] { "user", "email" })]
    [InlineData("phone_number", new[] { "phone", "number" })]
    [InlineData("e-mail", new[] { "e", "mail" })]
    [InlineData("HTTPServerName", new[] { "http", "server", "name" })]
    [InlineData("chart.crosshair_move", new[] { "chart", "crosshair", "move" })]
    [InlineData("", new string[0])]
    public void TokenizeSplitsSnakeKebabAndCamelCase(string name, string[] tokens) => Assert.Equal(tokens, Telemetry.Catalog.Text.IdentifierWords.Split(name));

    [Fact]
    public void VeryLongExampleIsJudgedWithoutTimingOut()
    {
        var example = new string('1', 100_000) + "@";

        _ = PiiHeuristics.JudgeExample(example);
    }
}
