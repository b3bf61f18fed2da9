using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Telemetry.Tests.Shared;

/// <summary>An AdditionalFile held in memory (a catalog file as the compiler hands it to the generator and the analyzers).</summary>
internal sealed class TestAdditionalText : AdditionalText
{
    private readonly SourceText _text;

    public TestAdditionalText(string path, string text)
        : this(path, SourceText.From(text, Encoding.UTF8))
    {
    }

    public TestAdditionalText(string path, SourceText text)
    {
        Path = path;
        _text = text;
    }

    public override string Path { get; }

    public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
}
