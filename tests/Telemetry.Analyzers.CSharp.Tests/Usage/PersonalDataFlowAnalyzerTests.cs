using Microsoft.CodeAnalysis.Testing;
using Telemetry.Analyzers.CSharp.Tests.TestSupport;
using Verify = Telemetry.Analyzers.CSharp.Tests.TestSupport.TelemetryAnalyzerTest<Telemetry.Analyzers.Usage.PersonalDataFlowAnalyzer>;

namespace Telemetry.Analyzers.CSharp.Tests.Usage;

public class PersonalDataFlowAnalyzerTests
{
    private const string Usings = """
        using Telemetry.Events;
        using Telemetry.Runtime;

        """;

    private static DiagnosticResult Expected(int markup, string source, string reason, string parameter, string target, string property) =>
        new DiagnosticResult(Descriptors.UnclassifiedPersonalDataFlow).WithLocation(markup).WithArguments(source, reason, parameter, target, property);

    [Fact]
    public Task Member_marked_PersonalData_passed_into_an_unclassified_property_is_reported() =>
        Verify.VerifyAsync(Catalogs.Both(), Usings + """
            class Customer
            {
                [PersonalData(PiiClass.PersonName)] public string Nickname { get; set; } = "";
            }

            class C
            {
                void M(ITelemetryClient client, Customer customer) =>
                    client.TrackWatchlistRemove({|#0:customer.Nickname|});
            }
            """,
            Expected(0, "Nickname", "it is marked [PersonalData]", "symbol", "TrackWatchlistRemove", "Symbol"));

    [Fact]
    public Task Pii_like_name_is_reported_through_locals_interpolation_and_string_methods() =>
        Verify.VerifyAsync(Catalogs.Both(), Usings + """
            class C
            {
                void M(ITelemetryClient client, string email)
                {
                    var normalised = email.Trim().ToLowerInvariant();
                    var label = $"pair for {normalised}";
                    client.TrackWatchlistRemove({|#0:label|});
                    _ = new WatchlistRemove({|#1:email|});
                }
            }
            """,
            Expected(0, "label", "its name contains 'email'", "symbol", "TrackWatchlistRemove", "Symbol"),
            Expected(1, "email", "its name contains 'email'", "symbol", "WatchlistRemove", "Symbol"));

    [Fact]
    public Task Pii_followed_through_string_Format_Concat_Join_and_Split_is_reported() =>
        Verify.VerifyAsync(Catalogs.Both(), Usings + """
            class C
            {
                public string Email { get; set; } = "";

                void M(ITelemetryClient client)
                {
                    client.TrackWatchlistRemove({|#0:string.Format("{0}", Email)|});
                    client.TrackWatchlistRemove({|#1:Email.Split('@')[0]|});
                    client.TrackWatchlistRemove({|#2:string.Concat("x", Email)|});
                    var local = string.Join(",", "a", Email);
                    client.TrackWatchlistRemove({|#3:local|});
                }
            }
            """,
            Expected(0, "Email", "its name contains 'email'", "symbol", "TrackWatchlistRemove", "Symbol"),
            Expected(1, "Email", "its name contains 'email'", "symbol", "TrackWatchlistRemove", "Symbol"),
            Expected(2, "Email", "its name contains 'email'", "symbol", "TrackWatchlistRemove", "Symbol"),
            Expected(3, "local", "its name contains 'email'", "symbol", "TrackWatchlistRemove", "Symbol"));

    [Fact]
    public Task Ids_counts_machine_addresses_and_booleans_named_like_pii_are_not_reported() =>
        Verify.VerifyAsync(Catalogs.Both(), Usings + """
            class C
            {
                void M(ITelemetryClient client, string MessageId, string ServerAddress, string EmailTemplate, string RemoteAddress, bool HasEmail)
                {
                    client.TrackWatchlistRemove(MessageId);
                    client.TrackWatchlistRemove(ServerAddress);
                    client.TrackWatchlistRemove(EmailTemplate);
                    client.TrackWatchlistRemove(string.Format("{0}", RemoteAddress));
                    client.TrackWatchlistRemove(HasEmail.ToString());
                }
            }
            """);

    [Fact]
    public Task Whole_words_still_count_in_narrowed_names() =>
        Verify.VerifyAsync(Catalogs.Both(), Usings + """
            class C
            {
                void M(ITelemetryClient client, string customerEmail, string homeAddress, string messageText)
                {
                    client.TrackWatchlistRemove({|#0:customerEmail|});
                    client.TrackWatchlistRemove({|#1:homeAddress|});
                    client.TrackWatchlistRemove({|#2:messageText|});
                }
            }
            """,
            Expected(0, "customerEmail", "its name contains 'email'", "symbol", "TrackWatchlistRemove", "Symbol"),
            Expected(1, "homeAddress", "its name contains 'home_address'", "symbol", "TrackWatchlistRemove", "Symbol"),
            Expected(2, "messageText", "its name contains 'message'", "symbol", "TrackWatchlistRemove", "Symbol"));

    [Fact]
    public Task Classified_return_value_is_reported() =>
        Verify.VerifyAsync(Catalogs.Both(), Usings + """
            class Directory
            {
                [return: PersonalData(PiiClass.Email)]
                public static string Lookup(int id) => "";
            }

            class C
            {
                void M(ITelemetryClient client) => client.TrackWatchlistRemove({|#0:Directory.Lookup(1)|});
            }
            """,
            Expected(0, "Lookup()", "its return value is marked [PersonalData]", "symbol", "TrackWatchlistRemove", "Symbol"));

    [Fact]
    public Task Personal_data_into_classified_or_dropped_properties_is_not_reported() =>
        Verify.VerifyAsync(Catalogs.Both(), Usings + """
            class C
            {
                [PersonalData(PiiClass.FreeText)] private string _draft = "";

                void M(ITelemetryClient client, string email, string phoneNumber, string userNote)
                {
                    // note: free_text with treatment length (stored as NoteLength), contact_email hashed, phone_number dropped.
                    client.TrackWatchlistNoteAdd("BTC/USDT", note: userNote, contactEmail: email, phoneNumber: phoneNumber);
                    client.TrackWatchlistNoteAdd("BTC/USDT", _draft);
                }
            }
            """);

    [Fact]
    public Task Ordinary_values_and_constants_are_not_reported() =>
        Verify.VerifyAsync(Catalogs.Both(), Usings + """
            class C
            {
                const string SupportEmail = "support@example.com";

                void M(ITelemetryClient client, string symbol, int emailCount)
                {
                    client.TrackWatchlistRemove(symbol, screenX: emailCount);
                    client.TrackWatchlistRemove(SupportEmail);
                    client.TrackWatchlistAdd(symbol.ToUpperInvariant(), WatchlistAddSource.Chart);
                }
            }
            """);
}
