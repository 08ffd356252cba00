using System.Text;
using PeopleAdmin.Core.Imports;

namespace PeopleAdmin.Core.Tests.Imports;

/// <summary>What the browser's wizard learns from a received file before it is an import: found again by name, text or not, how many rows.</summary>
public sealed class ReceivedFileTests : IAsyncDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ImportHarness? _harness;

    private async Task<(ImportService Service, ReceivedFile File)> ReceiveAsync(byte[] content)
    {
        _harness = await ImportHarness.CreateAsync(Ct);
        var file = await _harness.Service.ReceiveAsync(new MemoryStream(content), Ct);
        return (_harness.Service, file!);
    }

    [Fact]
    public async Task AReceivedFileIsFoundAgainByTheNameItWasGiven()
    {
        var (service, file) = await ReceiveAsync(Encoding.UTF8.GetBytes("email\na@example.com\n"));

        var found = service.FindReceived(ImportService.ReceivedName(file));

        found.ShouldBe(file);
    }

    [Theory]
    [InlineData("../import-1")]
    [InlineData("upload-0123456789abcdef0123456789abcdef")]
    [InlineData("")]
    [InlineData(null)]
    public async Task ANameThatIsNotAReceivedFilesFindsNothing(string? name)
    {
        var (service, _) = await ReceiveAsync(Encoding.UTF8.GetBytes("email\na@example.com\n"));

        service.FindReceived(name).ShouldBeNull();
        service.FindReceived(Guid.NewGuid().ToString("n")).ShouldBeNull();
    }

    public static TheoryData<string, byte[], bool> Files => new()
    {
        { "UTF-8", Encoding.UTF8.GetBytes("email,name\na@example.com,José\n"), true },
        { "UTF-16 with its byte order mark (a NUL in every other byte)", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("email,name\na@example.com,José\n")], true },
        { "a zip archive (an .xlsx workbook)", [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00, 0x00, 0x00, 0x21, 0x00], false },
        { "a PNG image", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52], false },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public async Task TextIsToldFromBinaryData(string what, byte[] content, bool text)
    {
        var (_, file) = await ReceiveAsync(content);

        var refusal = ImportFiles.NotText(file.Path);

        (refusal is null).ShouldBe(text, what);
    }

    [Fact]
    public async Task TheRowsAreCountedAsTheEngineReadsThemQuotedLineBreaksIncluded()
    {
        var (_, file) = await ReceiveAsync(Encoding.UTF8.GetBytes("email;note\na@example.com;\"two\nlines\"\nb@example.com;x\nc@example.com;y"));

        var rows = ImportFiles.CountRows(file.Path, null, null, Ct);

        rows.ShouldBe(3);
    }

    [Fact]
    public async Task AnUploadNoImportTookIsSweptOnceADayOldWhileYoungerUploadsAndImportsFilesStay()
    {
        var (service, old) = await ReceiveAsync(Encoding.UTF8.GetBytes("email\na@example.com\n"));
        var young = await service.ReceiveAsync(new MemoryStream(Encoding.UTF8.GetBytes("email\nb@example.com\n")), Ct);
        var created = await _harness!.CreateAsync("email\nc@example.com\n", """{"identifier": "email", "dry_run": true}""", Ct);
        var imported = service.FileOf(created.Import!.Id);
        var now = _harness.People.Clock.GetUtcNow().UtcDateTime;
        File.SetLastWriteTimeUtc(old.Path, now - TimeSpan.FromHours(25));
        File.SetLastWriteTimeUtc(young!.Path, now - TimeSpan.FromHours(23));
        File.SetLastWriteTimeUtc(imported, now - TimeSpan.FromDays(30));

        var swept = service.SweepAbandonedUploads();

        swept.ShouldBe(1);
        File.Exists(old.Path).ShouldBeFalse();
        File.Exists(young.Path).ShouldBeTrue();
        File.Exists(imported).ShouldBeTrue("an import's own file is kept with the import");
    }

    public async ValueTask DisposeAsync()
    {
        if (_harness is not null)
        {
            await _harness.DisposeAsync();
        }
    }
}
