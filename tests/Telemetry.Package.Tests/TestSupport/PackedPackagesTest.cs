namespace Telemetry.Package.Tests.TestSupport;

/// <summary>
/// The base of every test class here: it consumes the packed packages (<see cref="PackagesCollection"/>'s one
/// <see cref="PackedPackages"/>) and reports the processes it runs to the test output. xUnit reads the collection and
/// the trait from the base class too, so a test class needs neither attribute of its own.
/// </summary>
[Collection(PackagesCollection.Name)]
[Trait("Category", "Package")]
public abstract class PackedPackagesTest
{
    protected PackedPackagesTest(PackedPackages packages, ITestOutputHelper output)
    {
        Packages = packages;
        Output = output;
    }

    /// <summary>The packages in their local feed.</summary>
    protected PackedPackages Packages { get; }

    /// <summary>Where the test writes what its processes printed.</summary>
    protected ITestOutputHelper Output { get; }

    /// <summary>Awaits a process and writes its command line, folder, exit code and duration to the test output.</summary>
    private protected async Task<ProcessResult> Log(Task<ProcessResult> running)
    {
        var result = await running;
        Output.WriteLine($"{result.CommandLine} (in {result.WorkingDirectory}): exit {result.ExitCode}, {result.Duration.TotalSeconds:0.0} s");
        return result;
    }
}
