namespace Telemetry.Runtime.Tests.Privacy;

public class PersonalDataScrubberTests
{
    private static readonly PersonalDataScrubber Scrubber = PersonalDataScrubber.Default;

    [Theory]
    [InlineData("write to jane.doe+tag@example.co.uk today", "write to [EMAIL] today")]
    [InlineData("JANE@EXAMPLE.COM.", "[EMAIL].")]
    [InlineData("card 4111 1111 1111 1111 ok", "card [CARD] ok")]
    [InlineData("card 4111-1111-1111-1111", "card [CARD]")]
    [InlineData("4111111111111111", "[CARD]")]
    [InlineData("amex 378282246310005", "amex [CARD]")]
    [InlineData("iban GB82 WEST 1234 5698 7654 32 please", "iban [IBAN] please")]
    [InlineData("DE89370400440532013000", "[IBAN]")]
    [InlineData("ssn 123-45-6789", "ssn [SSN]")]
    [InlineData("call +1 (555) 010-0199 now", "call [PHONE] now")]
    [InlineData("call +44 20 7946 0958", "call [PHONE]")]
    [InlineData("+4915112345678", "[PHONE]")]
    [InlineData("call 555-010-0199", "call [PHONE]")]
    [InlineData("call (555) 010-0199", "call [PHONE]")]
    [InlineData("call 020 7946 0958", "call [PHONE]")]
    [InlineData("appelle 06 12 34 56 78", "appelle [PHONE]")]
    public void Personal_data_is_replaced_by_its_marker(string input, string expected)
    {
        Assert.Equal(expected, Scrubber.Scrub(input));
    }

    [Theory]
    [InlineData("2025-11-10T12:00:00.1234567+00:00")]
    [InlineData("0193a5b2-7c1e-7d4a-9f3b-2e8c1a6d4f10")]
    [InlineData("12345678-1234-1234-1234-123456789012")]
    [InlineData("1.2.3")]
    [InlineData("10.0.401")]
    [InlineData("BTC/USDT")]
    [InlineData("order 1234567 filled")]
    [InlineData("4111 1111 1111 1112")]
    [InlineData("GB82 WEST 1234 5698 7654 33")]
    [InlineData("666-12-3456")]
    [InlineData("price 49000.50 at 2025-11-10")]
    [InlineData("no personal data here")]
    public void Identifiers_dates_and_numbers_that_fail_the_check_digits_are_left_alone(string input)
    {
        Assert.Same(input, Scrubber.Scrub(input));
    }

    [Fact]
    public void Luhn_and_mod_97_checks_accept_valid_and_reject_altered_numbers()
    {
        Assert.True(LuhnChecksum.IsValidCardNumber("4111 1111 1111 1111"));
        Assert.False(LuhnChecksum.IsValidCardNumber("4111 1111 1111 1112"));
        Assert.False(LuhnChecksum.IsValidCardNumber("4111"));
        Assert.True(IbanChecksum.IsValid("GB82 WEST 1234 5698 7654 32"));
        Assert.True(IbanChecksum.IsValid("DE89370400440532013000"));
        Assert.False(IbanChecksum.IsValid("DE89370400440532013001"));
    }

    [Fact]
    public void Json_scrubbing_rewrites_only_strings_and_keeps_numbers_and_structure()
    {
        var json = """{"a":"mail me at x@example.com","n":4111111111111111,"list":["ok","+44 20 7946 0958"],"nested":{"b":true,"c":null}}"""u8;
        var scrubber = new JsonPersonalDataScrubber(PersonalDataScrubber.Default);
        var result = System.Text.Encoding.UTF8.GetString(scrubber.Scrub(json, 0, out var replaced));
        Assert.Equal(2, replaced);
        Assert.Equal("""{"a":"mail me at [EMAIL]","n":4111111111111111,"list":["ok","[PHONE]"],"nested":{"b":true,"c":null}}""", result);
    }
}
