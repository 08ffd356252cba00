using System.Text;
using PeopleAdmin.Core.Imports;

namespace PeopleAdmin.Core.Tests.Imports;

/// <summary>Reading a file: its encoding and delimiter found (or given), and its rows as Sep parses them.</summary>
public sealed class CsvReadingTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("peopleadmin-csv").FullName;

    public static TheoryData<string, string, string> Encodings => new()
    {
        { "UTF-8 without a byte order mark", "utf-8", "utf-8" },
        { "UTF-8 with a byte order mark", "utf-8-bom", "utf-8" },
        { "UTF-16 (little-endian, with its byte order mark)", "utf-16", "utf-16" },
        { "Windows-1252", "windows-1252", "windows-1252" },
    };

    [Theory]
    [MemberData(nameof(Encodings))]
    public void TheEncodingIsDetectedAndTheTextReadsBack(string description, string written, string detected)
    {
        var text = "id,name,city\r\n1,José Müller,Zürich\r\n2,Françoise Dupré,Besançon\r\n3,Ærøskøbing Ñandú,São Paulo\r\n";
        var path = Write(Bytes(text, written));

        var preview = ImportService.Preview(path, null, null, 10);

        preview.Encoding.ShouldBe(detected, $"{description}: {preview.Encoding}");
        preview.Columns.ShouldBe(["id", "name", "city"], "a byte order mark never joins the first column's name");
        preview.Rows.Select(r => r.Cells[1]).ShouldBe(["José Müller", "Françoise Dupré", "Ærøskøbing Ñandú"]);
    }

    [Theory]
    [InlineData("French, which the detector alone takes for ISO-8859-2", "Frédéric")]
    [InlineData("German, which the detector alone takes for ISO-8859-3", "Düsseldorf")]
    [InlineData("French, which the detector alone takes for IBM852 (DOS)", "Céline")]
    [InlineData("French, which the detector alone takes for IBM850 (DOS)", "Benoît")]
    [InlineData("German, which the detector alone takes for Mac Central European", "Günther")]
    public void AShortWindows1252FileWithAnAccentedNameReadsAsWindows1252(string description, string name)
    {
        var path = Write(Win1252($"email;name\na@example.com;{name}\n"));

        var preview = ImportService.Preview(path, null, null, 10);

        preview.Encoding.ShouldBe("windows-1252", description);
        preview.Rows[0].Cells.ShouldBe(["a@example.com", name]);
    }

    [Theory]
    [InlineData("Hungarian", 28592, "iso-8859-2", "név", "Szőke Ődön")]
    [InlineData("Polish", 1250, "windows-1250", "imię", "Łukasz Żółć")]
    [InlineData("Russian", 1251, "windows-1251", "имя", "Иван Петров")]
    public void AShortFileInAnotherSingleByteCodePageKeepsIt(string language, int codePage, string detected, string header, string name)
    {
        CsvDetection.RegisterCodePages();
        var path = Write(Encoding.GetEncoding(codePage).GetBytes($"email;{header}\na@example.com;{name}\n"));

        var preview = ImportService.Preview(path, null, null, 10);

        preview.Encoding.ShouldBe(detected, language);
        preview.Columns.ShouldBe(["email", header]);
        preview.Rows[0].Cells.ShouldBe(["a@example.com", name]);
    }

    [Fact]
    public void AGivenEncodingWinsOverDetection()
    {
        var path = Write(Encoding.Latin1.GetBytes("id,name\n1,Zoë\n"));

        var preview = ImportService.Preview(path, "iso-8859-1", null, 10);

        preview.Encoding.ShouldBe("iso-8859-1");
        preview.Rows[0].Cells[1].ShouldBe("Zoë");
    }

    [Theory]
    [InlineData(',', "comma")]
    [InlineData(';', "semicolon")]
    [InlineData('\t', "tab")]
    [InlineData('|', "pipe")]
    public void TheDelimiterIsDetectedFromTheHeader(char delimiter, string name)
    {
        var path = Write(Encoding.UTF8.GetBytes($"id{delimiter}email{delimiter}plan\n1{delimiter}a@x.com{delimiter}\"pro, yearly\"\n"));

        var preview = ImportService.Preview(path, null, null, 10);

        preview.Delimiter.ShouldBe(delimiter, name);
        preview.Rows[0].Cells.ShouldBe(["1", "a@x.com", "pro, yearly"]);
    }

    [Fact]
    public void AGivenDelimiterWinsOverDetection()
    {
        var path = Write(Encoding.UTF8.GetBytes("id;note\n1;a,b\n"));

        var preview = ImportService.Preview(path, null, ',', 10);

        preview.Columns.ShouldBe(["id;note"]);
        preview.Rows[0].Cells.ShouldBe(["1;a", "b"]);
    }

    [Fact]
    public void QuotedCellsKeepTheirLineBreaksDelimitersAndQuotesAndRowsAreNumberedAsASpreadsheetNumbersThem()
    {
        var path = Write(Encoding.UTF8.GetBytes("id,note\r\n1,\"two\r\nlines\"\r\n2,\"a, \"\"quoted\"\" word\"\r\n3,plain\r\n"));

        var preview = ImportService.Preview(path, null, null, 10);

        preview.Rows.Select(r => (r.Row, r.Cells[1])).ShouldBe([(2L, "two\r\nlines"), (3L, "a, \"quoted\" word"), (4L, "plain")]);
    }

    [Fact]
    public void LineEndingsOfEveryKindEndRows()
    {
        var path = Write(Encoding.UTF8.GetBytes("id,plan\r\n1,free\n2,pro\r\n3,team"));

        var preview = ImportService.Preview(path, null, null, 10);

        preview.Rows.Select(r => string.Join("|", r.Cells)).ShouldBe(["1|free", "2|pro", "3|team"]);
    }

    [Fact]
    public void AnEmptyFileHasNoColumns()
    {
        var path = Write([]);

        var preview = ImportService.Preview(path, null, null, 10);

        preview.Columns.ShouldBeEmpty();
        preview.Rows.ShouldBeEmpty();
    }

    private static byte[] Bytes(string text, string encoding) => encoding switch
    {
        "utf-8" => new UTF8Encoding(false).GetBytes(text),
        "utf-8-bom" => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)],
        "utf-16" => [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text)],
        _ => Win1252(text),
    };

    private static byte[] Win1252(string text)
    {
        CsvDetection.RegisterCodePages();
        return Encoding.GetEncoding(1252).GetBytes(text);
    }

    private string Write(byte[] bytes)
    {
        var path = Path.Combine(_directory, Guid.NewGuid().ToString("n") + ".csv");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
