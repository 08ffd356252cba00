namespace PeopleAdmin.Core.Imports;

/// <summary>What the import wizard learns from a received file before it becomes an import: is it text, how many rows.</summary>
public static class ImportFiles
{
    /// <summary>
    /// Why a file is not a CSV file, or null: a NUL byte in its first bytes, which no text in a single-byte encoding or
    /// UTF-8 holds (spreadsheets, archives and images do), unless the file is UTF-16 or UTF-32.
    /// </summary>
    public static string? NotText(string path)
    {
        var sample = new byte[CsvDetection.SampleBytes];
        int length;
        using (var file = File.OpenRead(path))
        {
            length = file.ReadAtLeast(sample, sample.Length, throwOnEndOfStream: false);
        }

        var bytes = sample.AsSpan(0, length);
        if (bytes.IndexOf((byte)0) < 0)
        {
            return null;
        }

        return CsvDetection.DetectEncoding(bytes).CodePage is 1200 or 1201 or 12000 or 12001
            ? null
            : "it is not a text file (it holds binary data, as a spreadsheet, an archive or an image does): export it from your spreadsheet as CSV";
    }

    /// <summary>Data rows in the file (the header excluded), read as an import would read them.</summary>
    public static long CountRows(string path, string? encoding, char? delimiter, CancellationToken cancellationToken)
    {
        using var source = CsvFileSource.Open(path, CsvDetection.Detect(path, encoding, delimiter));
        long rows = 0;
        foreach (var _ in source.ReadRows())
        {
            if (++rows % 10_000 == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        return rows;
    }
}
