using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;

namespace Telemetry.Package.Tests.TestSupport;

/// <summary>A .nupkg read into memory: its file names (without the OPC bookkeeping) and its .nuspec.</summary>
internal sealed class Nupkg
{
    private readonly Dictionary<string, byte[]> _files;

    private Nupkg(string path, Dictionary<string, byte[]> files, XDocument nuspec)
    {
        Path = path;
        _files = files;
        Nuspec = nuspec;
    }

    public string Path { get; }

    /// <summary>Every package file path ('/' separators), sorted, excluding _rels/, package/ and [Content_Types].xml.</summary>
    public IReadOnlyList<string> Files => _files.Keys.Where(IsContent).OrderBy(f => f, StringComparer.Ordinal).ToList();

    public XDocument Nuspec { get; }

    /// <summary>The nuspec's metadata element.</summary>
    public XElement Metadata => Nuspec.Root!.Elements().Single(e => e.Name.LocalName == "metadata");

    public static Nupkg Open(string path)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using (var zip = ZipFile.OpenRead(path))
        {
            foreach (var entry in zip.Entries)
            {
                using var stream = entry.Open();
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                files[Uri.UnescapeDataString(entry.FullName.Replace('\\', '/'))] = copy.ToArray();
            }
        }

        var nuspecName = files.Keys.Single(f => !f.Contains('/', StringComparison.Ordinal) && f.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase));
        using var nuspecStream = new MemoryStream(files[nuspecName]);
        return new Nupkg(path, files, XDocument.Load(nuspecStream));
    }

    /// <summary>The files directly in <paramref name="folder"/> (e.g. <c>analyzers/dotnet/cs/</c>), by file name.</summary>
    public IReadOnlyList<string> FileNamesIn(string folder) =>
        Files.Where(f => f.StartsWith(folder, StringComparison.Ordinal) && !f[folder.Length..].Contains('/', StringComparison.Ordinal))
            .Select(f => f[folder.Length..])
            .ToList();

    /// <summary>The framework an assembly in the package was built for, from its TargetFrameworkAttribute (e.g. <c>.NETStandard,Version=v2.0</c>).</summary>
    public string? TargetFrameworkOf(string file)
    {
        using var pe = new PEReader(new MemoryStream(_files[file]));
        var reader = pe.GetMetadataReader();
        foreach (var handle in reader.GetAssemblyDefinition().GetCustomAttributes())
        {
            var attribute = reader.GetCustomAttribute(handle);
            if (attribute.Constructor.Kind != HandleKind.MemberReference) continue;
            var constructor = reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor);
            if (constructor.Parent.Kind != HandleKind.TypeReference) continue;
            var type = reader.GetTypeReference((TypeReferenceHandle)constructor.Parent);
            if (reader.GetString(type.Name) != "TargetFrameworkAttribute") continue;

            // Custom attribute blob: prolog 0x0001, then the constructor's string argument.
            var blob = reader.GetBlobReader(attribute.Value);
            if (blob.ReadUInt16() != 1) return null;
            return blob.ReadSerializedString();
        }

        return null;
    }

    /// <summary>True when the assembly <paramref name="file"/> carries its portable PDB embedded (debug directory entry).</summary>
    public bool HasEmbeddedPdb(string file)
    {
        using var pe = new PEReader(new MemoryStream(_files[file]));
        return pe.ReadDebugDirectory().Any(d => d.Type == DebugDirectoryEntryType.EmbeddedPortablePdb);
    }

    private static bool IsContent(string file) =>
        !file.StartsWith("_rels/", StringComparison.Ordinal) &&
        !file.StartsWith("package/", StringComparison.Ordinal) &&
        file != "[Content_Types].xml";
}
