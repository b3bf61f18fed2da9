using System.Globalization;
using System.Text;

namespace Telemetry.Catalog.Schema;

/// <summary>
/// A minimal, deterministic JSON text builder (netstandard2.0 analyzers cannot rely on System.Text.Json
/// being loadable in every host, so the catalog library writes its few JSON documents itself).
/// </summary>
internal sealed class JsonText
{
    private readonly StringBuilder _sb = new();
    private readonly bool _indented;
    private int _depth;
    private bool _needComma;

    public JsonText(bool indented) => _indented = indented;

    public JsonText StartObject(string? name = null) => Open(name, '{');

    public JsonText EndObject() => Close('}');

    public JsonText StartArray(string? name = null) => Open(name, '[');

    public JsonText EndArray() => Close(']');

    public JsonText String(string? name, string value)
    {
        Prefix(name);
        Quote(value);
        return this;
    }

    public JsonText Number(string? name, double value)
    {
        Prefix(name);
        _sb.Append(value.ToString("R", CultureInfo.InvariantCulture));
        return this;
    }

    public JsonText Bool(string? name, bool value)
    {
        Prefix(name);
        _sb.Append(value ? "true" : "false");
        return this;
    }

    public override string ToString() => _sb.ToString();

    private JsonText Open(string? name, char c)
    {
        Prefix(name);
        _sb.Append(c);
        _depth++;
        _needComma = false;
        return this;
    }

    private JsonText Close(char c)
    {
        _depth--;
        if (_indented && _needComma) NewLine();
        _sb.Append(c);
        _needComma = true;
        return this;
    }

    private void Prefix(string? name)
    {
        if (_needComma) _sb.Append(',');
        if (_indented && _depth > 0) NewLine();
        if (name is not null)
        {
            Quote(name);
            _sb.Append(_indented ? ": " : ":");
        }

        _needComma = true;
    }

    private void NewLine()
    {
        _sb.Append('\n');
        _sb.Append(' ', _depth * 2);
    }

    private void Quote(string value)
    {
        _sb.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': _sb.Append("\\\""); break;
                case '\\': _sb.Append("\\\\"); break;
                case '\n': _sb.Append("\\n"); break;
                case '\r': _sb.Append("\\r"); break;
                case '\t': _sb.Append("\\t"); break;
                default:
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\'' || c > 0x7e)
                    {
                        _sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        _sb.Append(c);
                    }

                    break;
            }
        }

        _sb.Append('"');
    }
}
