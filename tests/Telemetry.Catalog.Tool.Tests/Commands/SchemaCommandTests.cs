using Telemetry.Catalog.Schema;
using Telemetry.Catalog.Tool.Tests.TestSupport;

namespace Telemetry.Catalog.Tool.Tests.Commands;

public sealed class SchemaCommandTests
{
    [Fact]
    public void Schemas_of_the_fixture_catalog_match_golden_files()
    {
        using var temp = new TempFolder();

        var run = ToolRunner.Run("schema", "Fixtures/valid", "--out", temp.Combine("schemas"));

        Assert.Equal(0, run.ExitCode);
        Golden.MatchFolder("schema-valid", temp.Combine("schemas"));
    }

    [Fact]
    public void Each_event_gets_the_shared_library_schema_in_its_own_file()
    {
        using var temp = new TempFolder();

        var run = ToolRunner.RunIn(RepoPaths.Root, "schema", "--out", temp.Combine("schemas"));

        Assert.Equal(0, run.ExitCode);
        var set = Catalogs.Shipped();
        Assert.Equal(set.Events.Count(), Directory.GetFiles(temp.Combine("schemas"), "*.schema.json").Length);
        foreach (var e in set.Events)
        {
            Assert.Equal(EventJsonSchema.Write(e, indented: true) + "\n", File.ReadAllText(temp.Combine("schemas", e.Name + ".schema.json")));
        }
    }

    [Fact]
    public void Schema_defaults_to_a_schemas_folder_and_check_passes_after_writing()
    {
        using var temp = new TempFolder();
        temp.CopyFixture("valid");

        var write = ToolRunner.RunIn(temp.Path, "schema");
        var check = ToolRunner.RunIn(temp.Path, "schema", "--check");

        Assert.Equal("schemas: 7 written, 0 unchanged\n", write.Out);
        Assert.Equal(0, check.ExitCode);
        Assert.Equal("schemas: up to date (7 files)\n", check.Out);
    }
}
