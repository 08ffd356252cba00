using nietras.SeparatedValues;

namespace PeopleAdmin.Core.Imports;

/// <summary>
/// A CSV file read by Sep, streamed: the header row gives the columns (kept as written, case-sensitive), every later
/// row its cells, quoted fields unescaped (line breaks inside quotes included). Rows may have more or fewer cells than
/// the header (the engine reports them); a byte order mark is dropped.
/// </summary>
public sealed class CsvFileSource : IImportSource
{
    private readonly StreamReader _text;
    private readonly SepReader _reader;

    private CsvFileSource(StreamReader text, SepReader reader, IReadOnlyList<string> columns)
    {
        _text = text;
        _reader = reader;
        Columns = columns;
    }

    public IReadOnlyList<string> Columns { get; }

    /// <summary>Opens the file; an empty file has no columns.</summary>
    public static CsvFileSource Open(string path, CsvFormat format)
    {
        var text = new StreamReader(path, format.Encoding, detectEncodingFromByteOrderMarks: true, new FileStreamOptions { BufferSize = 1 << 16 });
        SepReader? reader = null;
        try
        {
            reader = Sep.New(format.Delimiter).Reader(o => o with { HasHeader = false, DisableColCountCheck = true, Unescape = true }).From(text);
            var columns = new List<string>();
            if (reader.MoveNext())
            {
                var header = reader.Current;
                for (var i = 0; i < header.ColCount; i++)
                {
                    columns.Add(header[i].ToString());
                }
            }

            return new CsvFileSource(text, reader, columns);
        }
        catch
        {
            reader?.Dispose();
            text.Dispose();
            throw;
        }
    }

    public IEnumerable<ImportRecord> ReadRows()
    {
        while (_reader.MoveNext())
        {
            var row = _reader.Current;
            var cells = new string[row.ColCount];
            for (var i = 0; i < cells.Length; i++)
            {
                cells[i] = row[i].ToString();
            }

            yield return new ImportRecord(row.RowIndex + 1, cells);
        }
    }

    public void Dispose()
    {
        _reader.Dispose();
        _text.Dispose();
    }
}
