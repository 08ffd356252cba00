using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.Tests;
using PeopleAdmin.Web.Tests.Infrastructure;

namespace PeopleAdmin.Web.Tests.Data;

/// <summary>The data folder, the database and its WAL, and the credential hash key are the app user's alone.</summary>
public sealed class PrivateFilesTests
{
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task TheDataFolderIs0700AndTheDatabaseItsWalAndTheHashKeyAre0600()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes");
        await using var factory = new PeopleAdminFactory(TestStore.Sqlite);

        using var client = factory.CreateClient();
        (await client.GetAsync(new Uri("/healthz", UriKind.Relative), TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();

        var data = factory.DataDirectory;
        File.GetUnixFileMode(data).ShouldBe(PrivateFiles.FolderMode);
        File.GetUnixFileMode(Path.Combine(data, "keys")).ShouldBe(PrivateFiles.FolderMode);
        File.GetUnixFileMode(Path.Combine(data, "peopleadmin.db")).ShouldBe(PrivateFiles.FileMode);
        File.GetUnixFileMode(Path.Combine(data, "peopleadmin.db-wal")).ShouldBe(PrivateFiles.FileMode);
        File.GetUnixFileMode(Path.Combine(data, "credential-hash.key")).ShouldBe(PrivateFiles.FileMode);
    }

    [Fact]
    public void TheHashKeyIsMadeOnceAndNeverWrittenOverAKeyThatExists()
    {
        var folder = Path.Combine(Path.GetTempPath(), "peopleadmin-web-tests", Guid.NewGuid().ToString("n"));
        try
        {
            var first = CredentialHashKey.LoadOrCreate(folder);
            var written = File.ReadAllText(Path.Combine(folder, "credential-hash.key"));

            var again = CredentialHashKey.LoadOrCreate(folder);

            again.Value.ShouldBe(first.Value);
            File.ReadAllText(Path.Combine(folder, "credential-hash.key")).ShouldBe(written);
            PrivateFiles.TryCreateDurably(Path.Combine(folder, "credential-hash.key"), "other"u8).ShouldBeFalse();
            File.ReadAllText(Path.Combine(folder, "credential-hash.key")).ShouldBe(written);
            Directory.GetFiles(folder).ShouldHaveSingleItem();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
