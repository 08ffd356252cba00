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
        var result = CharsetDetector.DetectFromBytes(sample);
        return result.Detected?.Encoding switch
        {
            null => Encoding.UTF8,

            // A sample of ASCII alone is UTF-8 as well, and the rest of the file may not be ASCII.
            { CodePage: 20127 } => Encoding.UTF8,

            // Latin-1 text is Windows-1252 text too, which adds € and typographic quotes where Latin-1 has control
            // characters that no spreadsheet writes (browsers read "iso-8859-1" as Windows-1252 for that reason).
            { CodePage: 28591 } => Encoding.GetEncoding(1252),
            { } found when PrefersWindows1252(sample, found, result) => Encoding.GetEncoding(1252),
            { } found => found,
        };
    }

    /// <summary>
    /// uchardet tells single-byte Latin code pages apart by letter statistics that a short file lacks ("Frédéric" alone
    /// is ISO-8859-2 to it at 0.90 confidence, "Céline" IBM852), so Windows-1252, what spreadsheets on Windows write,
    /// wins over such a guess when it is among the detector's candidates and either reads the sample exactly as the guess
    /// does (only the name differs, and the rest of the file may hold è, ñ or €), or the guess is a DOS or Mac code page,
    /// which no spreadsheet writes today, and Windows-1252 reads every byte past ASCII as a letter. A Hungarian ő or a
    /// Polish ł reads differently or as a symbol in Windows-1252, so those files keep their code page.
    /// </summary>
    private static bool PrefersWindows1252(ReadOnlySpan<byte> sample, Encoding guess, DetectionResult result)
    {
        if (!guess.IsSingleByte || guess.CodePage == 1252 || !result.Details.Any(d => d.Encoding?.CodePage == 1252))
        {
            return false;
        }

        var windows1252 = Encoding.GetEncoding(1252).GetString(sample);
        if (guess.GetString(sample) == windows1252)
        {
            return true;
        }

        var dosOrMac = guess.CodePage is < 1250 or (>= 10000 and < 20000);
        return dosOrMac && windows1252.All(c => c < 0x80 || char.IsLetter(c));
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
