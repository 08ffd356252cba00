using System.Text;
using nietras.SeparatedValues;
using UtfUnknown;

namespace PeopleAdmin.Core.Imports;

/// <summary>How a CSV file is written: its encoding (and whether it starts with a byte order mark) and its delimiter.</summary>
public sealed record CsvFormat(Encoding Encoding, char Delimiter);

/// <summary>
/// Finds a file's encoding with UTF.Unknown (uchardet's detector) and its delimiter with Sep's own detection on the
/// header line; either can be given instead. Only the first bytes are read.
/// </summary>
public static class CsvDetection
{
    /// <summary>Bytes read to detect the encoding: enough for uchardet to see past a header of ASCII names.</summary>
    public const int SampleBytes = 64 * 1024;

    private static int _registered;

    /// <summary>Makes Windows-1252 and the other single-byte code pages available (.NET Core has only the Unicode ones and Latin-1 built in).</summary>
    public static void RegisterCodePages()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 0)
        {
            Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        }
    }

    public static CsvFormat Detect(string path, string? encodingName, char? delimiter)
    {
        var sample = new byte[SampleBytes];
        int length;
        using (var file = File.OpenRead(path))
        {
            length = file.ReadAtLeast(sample, SampleBytes, throwOnEndOfStream: false);
        }

        return Detect(sample.AsSpan(0, length), encodingName, delimiter);
    }

    public static CsvFormat Detect(ReadOnlySpan<byte> sample, string? encodingName, char? delimiter)
    {
        var encoding = encodingName is not null ? ImportOptionsJson.FindEncoding(encodingName)! : DetectEncoding(sample);
        return new CsvFormat(encoding, delimiter ?? DetectDelimiter(sample, encoding));
    }

    internal static Encoding DetectEncoding(ReadOnlySpan<byte> sample)
    {
        RegisterCodePages();
        var detected = CharsetDetector.DetectFromBytes(sample).Detected;
        return detected?.Encoding switch
        {
            null => Encoding.UTF8,

            // A sample of ASCII alone is UTF-8 as well, and the rest of the file may not be ASCII.
            { CodePage: 20127 } => Encoding.UTF8,

            // Latin-1 text is Windows-1252 text too, which adds € and typographic quotes where Latin-1 has control
            // characters that no spreadsheet writes (browsers read "iso-8859-1" as Windows-1252 for that reason).
            { CodePage: 28591 } => Encoding.GetEncoding(1252),
            { } found => found,
        };
    }

    private static char DetectDelimiter(ReadOnlySpan<byte> sample, Encoding encoding)
    {
        var text = encoding.GetString(sample);
        var firstLine = text.AsSpan().TrimStart('\uFEFF');
        var end = firstLine.IndexOfAny('\r', '\n');
        var header = (end < 0 ? firstLine : firstLine[..end]).ToString();
        if (header.Length == 0)
        {
            return ',';
        }

        using var reader = Sep.Reader(o => o with { HasHeader = false, DisableColCountCheck = true }).FromText(header);
        return reader.Spec.Sep.Separator;
    }
}
