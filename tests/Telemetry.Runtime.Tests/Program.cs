namespace Telemetry.Runtime.Tests;

/// <summary>
/// Entry point of the test assembly when it is re-launched as a child process by the crash and privacy
/// tests (<c>dotnet Telemetry.Runtime.Tests.dll crash-child|privacy-child ...</c>); under the test runner it is not used.
/// </summary>
public static class Program
{
    public static int Main(string[] args) =>
        args.Length == 0 ? 0
        : args[0] == CrashChild.Verb ? CrashChild.Run(args[1..]).GetAwaiter().GetResult()
        : args[0] == PrivacyChild.Verb ? PrivacyChild.Run(args[1..]).GetAwaiter().GetResult()
        : args[0] == DurabilityChild.Verb ? DurabilityChild.Run(args[1..])
        : 0;
}
