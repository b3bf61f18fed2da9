using System.CommandLine;
using Telemetry.Catalog.Tool.Loading;

namespace Telemetry.Catalog.Tool.Commands;

/// <summary>Arguments and options several commands share, worded once.</summary>
internal static class CommonOptions
{
    public static Argument<string[]> Paths()
    {
        var paths = new Argument<string[]>("paths")
        {
            Description = $"Catalog folders (every **/*.yaml and **/*.yml file in them) or files. Default: ./{CatalogLoader.DefaultFolder}",
            Arity = ArgumentArity.ZeroOrMore,
        };
        paths.RejectOptionLikeValues();
        return paths;
    }

    public static Option<string> Out(string defaultFolder, string what) => new("--out", "-o")
    {
        Description = $"Folder to write {what} to (created if missing). Default: {defaultFolder}",
        DefaultValueFactory = _ => defaultFolder,
        HelpName = "folder",
    };

    public static Option<string> Format(params string[] formats)
    {
        var option = new Option<string>("--format", "-f")
        {
            Description = "Output format: " + string.Join(" or ", formats) + ".",
            DefaultValueFactory = _ => formats[0],
            HelpName = "format",
        };
        option.AcceptOnlyFromAmong(formats);
        return option;
    }

    public static Option<bool> Check(string what) => new("--check")
    {
        Description = $"Write nothing; exit 1 when {what} on disk differ from what the catalog gives (for CI).",
    };
}
