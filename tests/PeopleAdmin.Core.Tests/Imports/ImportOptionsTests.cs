using PeopleAdmin.Core.Imports;
using PeopleAdmin.Core.People;

namespace PeopleAdmin.Core.Tests.Imports;

/// <summary>The contract's options JSON, read field by field; every refusal names its field.</summary>
public sealed class ImportOptionsTests
{
    [Fact]
    public void EverythingButTheIdentifierHasADefault()
    {
        ImportOptionsJson.TryRead("""{"identifier": "email"}""", "options.", out var options).ShouldBeNull();

        options.ShouldBeEquivalentTo(new ImportOptions { Identifier = IdentifierKind.Email });
    }

    [Fact]
    public void EveryOptionOfTheContractIsRead()
    {
        var json = """
            {"type": "people", "identifier": "id", "data_to_process": "only_new", "empty_values": "remove",
             "mapping": {"User ID": "id", "E-mail": "email", "Plan": "attribute:plan", "notes": "ignore"},
             "encoding": "windows-1252", "delimiter": ";", "segment": {"name": "Imported"}, "dry_run": true}
            """;

        ImportOptionsJson.TryRead(json, "options.", out var options).ShouldBeNull();

        options.DataToProcess.ShouldBe(DataToProcess.OnlyNew);
        options.EmptyValues.ShouldBe(EmptyValues.Remove);
        options.Mapping["User ID"].ShouldBe(new ColumnMapping(ColumnRole.Id));
        options.Mapping["E-mail"].ShouldBe(new ColumnMapping(ColumnRole.Email));
        options.Mapping["Plan"].ShouldBe(new ColumnMapping(ColumnRole.Attribute, "plan"));
        options.Mapping["notes"].ShouldBe(new ColumnMapping(ColumnRole.Ignore));
        options.Encoding.ShouldBe("windows-1252");
        options.Delimiter.ShouldBe(';');
        options.Segment.ShouldBe(new ImportSegment(null, "Imported"));
        options.DryRun.ShouldBeTrue();
        ImportOptionsJson.TryRead(ImportOptionsJson.Write(options), "options.", out var again).ShouldBeNull();
        again.ShouldBeEquivalentTo(options);
    }

    [Theory]
    [InlineData("""{}""", "options.identifier", "is required")]
    [InlineData("""{"identifier": "cio_id"}""", "options.identifier", "\"id\", \"email\"")]
    [InlineData("""{"identifier": "id", "type": "object"}""", "options.object_type_id", "is required for an object import")]
    [InlineData("""{"identifier": "id", "type": "flight"}""", "options.type", "\"relationship\"")]
    [InlineData("""{"identifier": "id", "data_to_process": "some"}""", "options.data_to_process", "\"only_new\"")]
    [InlineData("""{"identifier": "id", "empty_values": "clear"}""", "options.empty_values", "\"remove\"")]
    [InlineData("""{"identifier": "id", "mapping": {"plan": "attr:plan"}}""", "options.mapping.plan", "attribute:<name>")]
    [InlineData("""{"identifier": "id", "mapping": {"x": "attribute:cio_id"}}""", "options.mapping.x", "reserved")]
    [InlineData("""{"identifier": "id", "encoding": "klingon-8"}""", "options.encoding", "names no encoding")]
    [InlineData("""{"identifier": "id", "delimiter": ":"}""", "options.delimiter", "\"|\"")]
    [InlineData("""{"identifier": "id", "segment": {"id": "seven"}}""", "options.segment", "\"id\"")]
    [InlineData("""{"identifier": "id", "dry_run": "yes"}""", "options.dry_run", "true or false")]
    [InlineData("""{"identifier": "id", "type": "event", "data_to_process": "only_new"}""", "options.data_to_process", "existing people only")]
    [InlineData("""[1]""", "options", "JSON object")]
    [InlineData("""{"identifier": "\ud800"}""", "options", "not valid Unicode")]
    [InlineData("""{"identifier": "id", "mapping": {"\ud800": "ignore"}}""", "options", "not valid Unicode")]
    public void ABadOptionIsRefusedNamingItsField(string json, string field, string message)
    {
        var problem = ImportOptionsJson.TryRead(json, "options.", out _);

        problem.ShouldNotBeNull();
        problem.Field.ShouldBe(field);
        problem.Message.ShouldContain(message);
    }
}
