using Telemetry.Catalog.Tool.Tests.TestSupport;

namespace Telemetry.Catalog.Tool.Tests;

public sealed class CliTests
{
    [Theory]
    [InlineData("--help")]
    [InlineData("lint", "--help")]
    [InlineData("docs", "--help")]
    [InlineData("schema", "--help")]
    [InlineData("cost", "--help")]
    [InlineData("lock", "-h")]
    [InlineData("dashboards", "--help")]
    public void Help_is_available_everywhere_and_exits_0(params string[] args)
    {
        var run = ToolRunner.Run(args);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Usage:", run.Out);
        Assert.Contains("telemetry-catalog", run.Out);
        Assert.Equal(string.Empty, run.Error);
    }

    [Fact]
    public void Root_help_lists_every_command()
    {
        var help = ToolRunner.Run("--help").Out;

        foreach (var command in new[] { "lint", "docs", "schema", "cost", "lock", "dashboards" }) Assert.Contains("  " + command, help);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("lint", "--format", "xml")]
    [InlineData("cost", "--users", "many")]
    [InlineData("cost", "--users", "-5")]
    [InlineData("cost", "--hours-per-day", "25")]
    [InlineData("lint", "--no-such-option")]
    public void Usage_errors_exit_2_with_a_message_on_stderr(params string[] args)
    {
        var run = ToolRunner.Run(args);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("telemetry-catalog: ", run.Error);
        Assert.Contains("Run 'telemetry-catalog --help' for usage.", run.Error);
        Assert.Equal(string.Empty, run.Out);
    }

    [Fact]
    public void No_command_is_a_usage_error()
    {
        var run = ToolRunner.Run();

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Run 'telemetry-catalog --help' for usage.", run.Error);
    }

    [Theory]
    [InlineData("lint")]
    [InlineData("docs")]
    [InlineData("schema")]
    [InlineData("cost")]
    [InlineData("lock")]
    public void A_missing_catalog_folder_exits_2_with_one_line(string command)
    {
        var run = ToolRunner.Run(command, "Fixtures/does-not-exist");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("telemetry-catalog: catalog folder or file 'Fixtures/does-not-exist' does not exist\n", run.Error);
        Assert.DoesNotContain("   at ", run.Error);
    }

    [Fact]
    public void The_default_catalog_folder_missing_exits_2()
    {
        using var temp = new TempFolder();

        var run = ToolRunner.RunIn(temp.Path, "lint");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("telemetry-catalog: catalog folder or file 'catalog' does not exist\n", run.Error);
    }

    [Fact]
    public void A_folder_without_catalog_files_exits_2()
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(temp.Combine("catalog"));
        File.WriteAllText(temp.Combine("catalog", "notes.txt"), "not a catalog");

        var run = ToolRunner.RunIn(temp.Path, "lint", "catalog");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("telemetry-catalog: no catalog files (*.yaml, *.yml) in folder 'catalog'\n", run.Error);
    }

    [Theory]
    [InlineData("docs")]
    [InlineData("schema")]
    [InlineData("dashboards")]
    public void An_output_folder_that_cannot_be_created_exits_2_with_one_line(string command)
    {
        using var temp = new TempFolder();
        var blocker = temp.Combine("occupied");
        File.WriteAllText(blocker, "a file where the output folder should go");
        var args = command == "dashboards"
            ? new[] { command, "--out", blocker }
            : new[] { command, RepoPaths.Fixture("valid"), "--out", blocker };

        var run = ToolRunner.RunIn(temp.Path, args);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("telemetry-catalog: cannot write to 'occupied': it is a file, not a folder\n", run.Error);
    }

    [Fact]
    public void An_output_folder_below_a_file_exits_2_with_one_line()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.Combine("occupied"), "a file");

        var run = ToolRunner.RunIn(temp.Path, "docs", RepoPaths.Fixture("valid"), "--out", "occupied/docs");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("telemetry-catalog: cannot create folder 'occupied/docs': ", run.Error);
        Assert.Single(run.Error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void An_unreadable_catalog_entry_exits_2_with_one_line()
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(temp.Combine("catalog"));
        // A dangling symbolic link named like a catalog file: listed, but cannot be read.
        File.CreateSymbolicLink(temp.Combine("catalog", "gone.yaml"), temp.Combine("nowhere.yaml"));

        var run = ToolRunner.RunIn(temp.Path, "lint");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("telemetry-catalog: cannot read 'catalog/gone.yaml': ", run.Error);
        Assert.Single(run.Error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void Version_prints_the_tool_version()
    {
        var run = ToolRunner.Run("--version");

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", run.Out);
    }
}
