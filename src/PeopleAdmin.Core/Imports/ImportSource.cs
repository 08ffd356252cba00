namespace PeopleAdmin.Core.Imports;

/// <summary>
/// One row of a source: its number (as a spreadsheet numbers a CSV file's rows, the header being row 1; a database's
/// rows from 1) and its cells. A typed source (a database) gives each cell's type too, so that a boolean or a number
/// column keeps its type and a text column stays text however it looks; a CSV cell's type is read from its form.
/// </summary>
public sealed record ImportRecord(long Row, string[] Cells)
{
    public People.AttributeType[]? Types { get; init; }
}

/// <summary>
/// Where an import's rows come from: a CSV file (<see cref="CsvFileSource"/>), or rows from a database reader
/// (database sync, <c>Syncs.SourceRows</c>). The engine reads the columns, then the rows in order; a resumed import skips the rows it had
/// committed. Reading is synchronous: the engine runs on a background task of its own, and a database reader's
/// <c>Read()</c> fits it as well as a file's buffer does.
/// </summary>
public interface IImportSource : IDisposable
{
    /// <summary>The column names, case-sensitive, in order.</summary>
    IReadOnlyList<string> Columns { get; }

    IEnumerable<ImportRecord> ReadRows();
}

/// <summary>Rows held in memory (a preview, a test, a small sync).</summary>
public sealed class InMemorySource(IReadOnlyList<string> columns, IEnumerable<string[]> rows) : IImportSource
{
    public IReadOnlyList<string> Columns { get; } = columns;

    public IEnumerable<ImportRecord> ReadRows() => rows.Select((cells, index) => new ImportRecord(index + 2, cells));

    public void Dispose()
    {
    }
}
