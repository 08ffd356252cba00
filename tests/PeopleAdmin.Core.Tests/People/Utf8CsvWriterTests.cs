using System.Text;
using PeopleAdmin.Core.Exports;

namespace PeopleAdmin.Core.Tests.People;

/// <summary>The export's CSV writer: RFC 4180 quoting on UTF-8 bytes, whatever the buffer's size.</summary>
public sealed class Utf8CsvWriterTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("", "")]
    [InlineData("Lyon, France", "\"Lyon, France\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("\"", "\"\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("carriage\rreturn", "\"carriage\rreturn\"")]
    [InlineData("Zoë, 東京", "\"Zoë, 東京\"")]
    public void AFieldIsQuotedOnlyWhenItHoldsACommaAQuoteOrALineBreak(string value, string expected)
    {
        // Act
        var written = Write(16, csv =>
        {
            csv.Field(Encoding.UTF8.GetBytes(value));
            csv.EndRow();
        });

        // Assert
        written.ShouldBe(expected + "\n");
    }

    [Fact]
    public void FieldsAreSeparatedByCommasAndRowsByLineFeeds()
    {
        // Act
        var written = Write(16, csv =>
        {
            csv.Field("a");
            csv.Field((string?)null);
            csv.Field("c");
            csv.EndRow();
            csv.Field("d");
            csv.EndRow();
        });

        // Assert
        written.ShouldBe("a,,c\nd\n");
    }

    [Fact]
    public void RowsLongerThanTheBufferArriveWhole()
    {
        // Arrange
        var long1 = new string('x', 100);
        var long2 = "y, \"quoted\" " + new string('z', 50);

        // Act
        var written = Write(16, csv =>
        {
            for (var i = 0; i < 3; i++)
            {
                csv.Field(long1);
                csv.Field(long2);
                csv.EndRow();
            }
        });

        // Assert
        var row = $"{long1},\"y, \"\"quoted\"\" {new string('z', 50)}\"\n";
        written.ShouldBe(row + row + row);
    }

    [Fact]
    public void BytesThatAreNotUtf8AreWrittenAsReplacementCharacters()
    {
        // Arrange: a lone surrogate's bytes (ED A0 80) and a stray continuation byte, as an older version may have stored
        byte[] broken = [(byte)'a', 0xED, 0xA0, 0x80, (byte)'b', 0x80];

        // Act
        var bytes = WriteBytes(64, csv =>
        {
            csv.Field(broken);
            csv.EndRow();
        });

        // Assert
        System.Text.Unicode.Utf8.IsValid(bytes).ShouldBeTrue();
        Encoding.UTF8.GetString(bytes).ShouldBe("a\uFFFD\uFFFD\uFFFDb\uFFFD\n");
    }

    private static string Write(int bufferSize, Action<Utf8CsvWriter> write) => Encoding.UTF8.GetString(WriteBytes(bufferSize, write));

    private static byte[] WriteBytes(int bufferSize, Action<Utf8CsvWriter> write)
    {
        using var stream = new MemoryStream();
        using (var csv = new Utf8CsvWriter(stream, bufferSize))
        {
            write(csv);
            csv.Flush();
        }

        return stream.ToArray();
    }
}
