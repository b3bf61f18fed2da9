using Microsoft.CodeAnalysis.Text;
using Telemetry.Catalog.Parsing;
namespace Telemetry.Analyzers.Tests;
public class Scratch
{
    [Fact]
    public void Dump()
    {
        var raw = File.ReadAllText("/tmp/cases.txt").Split("=====\n");
        using var w = new StreamWriter("/tmp/cases.out");
        foreach (var c0 in raw)
        {
            var c = c0.Replace("<TAB>", "\t").Replace("<CR>", "\r").Replace("<BOM>", "\uFEFF").Replace("<NUL>", "\0").Replace("<BEL>", "\a").Replace("<NONL>\n", "").Replace("<DEEP>", new string('[', 70) + new string(']', 70));
            var f = CatalogParser.Parse("x.yaml", c);
            var text = SourceText.From(c);
            w.WriteLine("---- " + c0.Replace("\n", "\\n"));
            foreach (var d in f.Diagnostics)
            {
                var l = CatalogDiagnosticsAnalyzer.ToLocation("x.yaml", text, d.Location);
                var loc = l.GetLineSpan().Span;
                var under = text.ToString(l.SourceSpan);
                w.WriteLine($"  {d.Id} ({d.Location.Line},{d.Location.Column})-({d.Location.EndLine},{d.Location.EndColumn}) roslyn {loc} [{under.Replace("\r","\\r").Replace("\n","\\n").Replace("\t","\\t")}] {d.Message}");
            }
        }
    }
}
