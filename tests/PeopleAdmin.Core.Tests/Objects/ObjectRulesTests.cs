using PeopleAdmin.Core.Objects;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Tests.People;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Core.Tests.Objects;

/// <summary>Object types, objects and relationships through the identity service: every operation, every limit.</summary>
[BothStores]
public sealed class ObjectRulesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Dictionary<string, AttributeValue> NoAttributes = [];

    [Fact]
    public async Task ObjectTypesAreNumberedFromOneInEachWorkspaceAndNamesAreUnique()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);

        var accounts = await harness.RunAsync(new CreateObjectTypeOperation(" Accounts "), Ct);
        var courses = await harness.RunAsync(new CreateObjectTypeOperation("Courses"), Ct);
        var again = await harness.RunAsync(new CreateObjectTypeOperation("Accounts"), Ct);

        accounts.RecordId.ShouldBe(1);
        courses.RecordId.ShouldBe(2);
        again.Error!.Kind.ShouldBe(ErrorKind.Conflict);
        again.Error.Message.ShouldBe("an object type named \"Accounts\" already exists");
        (await Directory(harness).ListTypesAsync(harness.WorkspaceId, Ct)).Select(t => $"{t.ObjectTypeId}:{t.Name}").ShouldBe(["1:Accounts", "2:Courses"]);
    }

    [Fact]
    public async Task RenamingATypeKeepsItsIdAndRefusesATakenNameOrAnUnknownType()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        await harness.RunAsync(new CreateObjectTypeOperation("Accounts"), Ct);
        await harness.RunAsync(new CreateObjectTypeOperation("Courses"), Ct);

        var renamed = await harness.RunAsync(new RenameObjectTypeOperation(1, "Companies"), Ct);
        var taken = await harness.RunAsync(new RenameObjectTypeOperation(2, "Companies"), Ct);
        var unknown = await harness.RunAsync(new RenameObjectTypeOperation(9, "Flights"), Ct);
        var empty = await harness.RunAsync(new RenameObjectTypeOperation(1, "  "), Ct);

        renamed.Status.ShouldBe(OperationStatus.Applied);
        taken.Error!.Kind.ShouldBe(ErrorKind.Conflict);
        unknown.Error!.Kind.ShouldBe(ErrorKind.NotFound);
        empty.Error!.Message.ShouldBe("the object type's name is empty");
        (await Directory(harness).ListTypesAsync(harness.WorkspaceId, Ct)).Select(t => $"{t.ObjectTypeId}:{t.Name}").ShouldBe(["1:Companies", "2:Courses"]);
    }

    [Fact]
    public async Task IdentifyCreatesAnObjectWithACioObjectIdAndLaterMergesItsAttributesWhereNullAndEmptyRemove()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        await harness.RunAsync(new CreateObjectTypeOperation("Accounts"), Ct);

        var created = await harness.RunAsync(new IdentifyObjectOperation(ObjectReference.For("1", "acme"), PeopleHarness.Body("""{"name":"Acme","plan":"pro","seats":5,"tags":["a"]}""")), Ct);
        var updated = await harness.RunAsync(new IdentifyObjectOperation(ObjectReference.For("1", "acme"), PeopleHarness.Body("""{"plan":null,"tags":"","seats":6,"bill_date":1767225600}""")), Ct);

        created.Created.ShouldBeTrue();
        updated.Created.ShouldBeFalse();
        var acme = await Directory(harness).GetObjectAsync(harness.WorkspaceId, 1, "acme", Ct);
        acme!.CioObjectId.ShouldMatch("^ob[0-9a-f]{16}$");
        acme.Attributes.Select(a => $"{a.Key}={a.Value.Text}:{a.Value.Type}").ShouldBe(["bill_date=1767225600:Number", "name=Acme:String", "seats=6:Number"]);
    }

    [Fact]
    public async Task AnObjectIsFoundByItsCioObjectIdAndAnUnknownOneIsIgnored()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        await harness.RunAsync(new CreateObjectTypeOperation("Accounts"), Ct);
        await harness.RunAsync(new IdentifyObjectOperation(ObjectReference.For("1", "acme"), NoAttributes), Ct);
        var cioObjectId = (await Directory(harness).GetObjectAsync(harness.WorkspaceId, 1, "acme", Ct))!.CioObjectId;

        var byCio = await harness.RunAsync(new IdentifyObjectOperation(ObjectReference.ForCioObjectId(cioObjectId), PeopleHarness.Body("""{"name":"Acme"}""")), Ct);
        var unknown = await harness.RunAsync(new IdentifyObjectOperation(ObjectReference.ForCioObjectId("ob0000000000000000"), PeopleHarness.Body("""{"name":"x"}""")), Ct);

        byCio.Status.ShouldBe(OperationStatus.Applied);
        (await Directory(harness).GetObjectAsync(harness.WorkspaceId, 1, "acme", Ct))!.Attributes.Single().Value.Text.ShouldBe("Acme");
        unknown.Status.ShouldBe(OperationStatus.Ignored);
        unknown.IgnoredReason.ShouldBe("unknown cio_object_id");
        (await Directory(harness).PageObjectsAsync(harness.WorkspaceId, 1, null, 0, 10, Ct))!.Total.ShouldBe(1);
    }

    [Fact]
    public async Task ATypeMustExistBeforeAnObjectOrARelationshipMayUseIt()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);

        var identify = await harness.RunAsync(new IdentifyObjectOperation(ObjectReference.For("7", "acme"), NoAttributes), Ct);
        var person = await harness.RunAsync(new IdentifyOperation(PersonReference.ForId("p1"), NoAttributes, [new RelationshipInput("7", "acme", NoAttributes)]), Ct);

        identify.Error!.Field.ShouldBe("identifiers.object_type_id");
        identify.Error.Message.ShouldStartWith("object type \"7\" does not exist in this workspace; create it first");
        person.Status.ShouldBe(OperationStatus.Rejected);
        person.Error!.Field.ShouldBe("cio_relationships[0].identifiers.object_type_id");
        (await harness.PeopleAsync(Ct)).ShouldBeEmpty();
    }

    public static TheoryData<string, string, string> LimitRows => new()
    {
        { "object id over 150 bytes", "object_id", "identifiers.object_id" },
        { "an attribute name over 150 bytes", "name", "attributes." + new string('n', 151) },
        { "an attribute value over 1,000 bytes", "value", "attributes.big" },
        { "301 attributes", "count", "attributes" },
        { "over 100 KB of attributes", "bytes", "attributes" },
        { "a type id that is not a number", "type", "identifiers.object_type_id" },
    };

    [Theory]
    [MemberData(nameof(LimitRows))]
    public async Task AnObjectOverALimitIsRefusedNamingTheFieldAndNothingIsSaved(string description, string limit, string field)
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        await harness.RunAsync(new CreateObjectTypeOperation("Accounts"), Ct);
        var attributes = new Dictionary<string, AttributeValue>();
        var objectId = "acme";
        var typeId = "1";
        switch (limit)
        {
            case "object_id":
                objectId = new string('o', 151);
                break;
            case "name":
                attributes[new string('n', 151)] = AttributeValue.FromString("x");
                break;
            case "value":
                attributes["big"] = AttributeValue.FromString(new string('v', 1001));
                break;
            case "count":
                for (var i = 0; i < 301; i++)
                {
                    attributes[$"a{i}"] = AttributeValue.FromNumber(i);
                }

                break;
            case "bytes":
                for (var i = 0; i < 101; i++)
                {
                    attributes[$"a{i}"] = AttributeValue.FromString(new string('v', 1000));
                }

                break;
            default:
                typeId = "accounts";
                break;
        }

        var result = await harness.RunAsync(new IdentifyObjectOperation(ObjectReference.For(typeId, objectId), attributes), Ct);

        result.Status.ShouldBe(OperationStatus.Rejected, description);
        result.Error!.Field.ShouldBe(field);
        (await Directory(harness).ListTypesAsync(harness.WorkspaceId, Ct)).Single().Objects.ShouldBe(0);
    }

    [Fact]
    public async Task TheAttributeLimitsCountWhatTheObjectHoldsAfterTheChange()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        await harness.RunAsync(new CreateObjectTypeOperation("Accounts"), Ct);
        var first = Enumerable.Range(0, 200).ToDictionary(i => $"a{i}", i => AttributeValue.FromNumber(i));
        var second = Enumerable.Range(200, 101).ToDictionary(i => $"a{i}", i => AttributeValue.FromNumber(i));
        await harness.RunAsync(new IdentifyObjectOperation(ObjectReference.For("1", "acme"), first), Ct);

        var over = await harness.RunAsync(new IdentifyObjectOperation(ObjectReference.For("1", "acme"), second), Ct);

        over.Error!.Message.ShouldBe("would hold 301 attributes; the limit is 300");
        (await Directory(harness).GetObjectAsync(harness.WorkspaceId, 1, "acme", Ct))!.Attributes.Count.ShouldBe(200);
    }

    [Fact]
    public async Task AnObjectsIdentifyRelatesPeopleWithAttributesAndSkipsPeopleWhoDoNotExist()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        await harness.RunAsync(new CreateObjectTypeOperation("Accounts"), Ct);
        await harness.IdentifyAsync("p1", "{}", Ct);

        var result = await harness.RunAsync(new IdentifyObjectOperation(ObjectReference.For("1", "acme"), NoAttributes,
        [
            new RelatedPersonInput(PersonReference.ForId("p1"), PeopleHarness.Body("""{"role":"admin"}""")),
            new RelatedPersonInput(PersonReference.ForId("ghost"), NoAttributes),
        ]), Ct);

        result.NotFound.ShouldBe(["ghost"]);
        (await harness.PeopleAsync(Ct)).Count.ShouldBe(1);
        (await Related(harness, "acme")).ShouldBe(["p1 role=admin"]);
        (await harness.ActivityAsync(Ct)).ShouldContain(a => a.Type == ActivityTypes.RequestIgnored && a.Data!.Contains("ghost"));
        (await harness.ActivityAsync(Ct)).ShouldContain(a => a.Type == "relationship_change" && a.Data!.Contains("\"action\":\"added\""));
    }

    [Fact]
    public async Task AnIdentifysRelationshipsRelateThePersonAndSkipObjectsThatDoNotExist()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        await harness.RunAsync(new CreateObjectTypeOperation("Accounts"), Ct);
        await harness.RunAsync(new IdentifyObjectOperation(ObjectReference.For("1", "acme"), NoAttributes), Ct);

        var created = await harness.RunAsync(new IdentifyOperation(PersonReference.ForId("p1"), PeopleHarness.Body("""{"plan":"pro"}"""),
            [new RelationshipInput("1", "acme", PeopleHarness.Body("""{"role":"admin","since":2020}""")), new RelationshipInput("1", "nope", NoAttributes)]), Ct);
        var updated = await harness.RunAsync(new IdentifyOperation(PersonReference.ForId("p1"), NoAttributes,
            [new RelationshipInput("1", "acme", PeopleHarness.Body("""{"role":null,"seat":"b"}"""))]), Ct);

        created.Created.ShouldBeTrue();
        created.NotFound.ShouldBe(["1/nope"]);
        updated.Status.ShouldBe(OperationStatus.Applied);
        (await Related(harness, "acme")).ShouldBe(["p1 seat=b since=2020"]);
        (await Directory(harness).PageObjectsAsync(harness.WorkspaceId, 1, null, 0, 10, Ct))!.Items.Select(o => o.ObjectId).ShouldBe(["acme"]);
    }

    [Fact]
    public async Task AnIdentifyCanDeleteRelationshipsAsTrackV1sActionAsks()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        await SetUpAcmeWithPeopleAsync(harness, "p1", "p2");

        await harness.RunAsync(new IdentifyOperation(PersonReference.ForId("p1"), NoAttributes, [new RelationshipInput("1", "acme", NoAttributes)])
        {
            RelationshipAction = RelationshipAction.Delete,
        }, Ct);

        (await Related(harness, "acme")).ShouldBe(["p2"]);
    }

    [Fact]
    public async Task RelationshipsAreRemovedFromThePersonsSideAndFromTheObjectsSide()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        await SetUpAcmeWithPeopleAsync(harness, "p1", "p2", "p3");

        var byPerson = await harness.RunAsync(new RelatePersonOperation(PersonReference.ForId("p1"), RelationshipAction.Delete, [new RelationshipInput("1", "acme", NoAttributes)]), Ct);
        var byObject = await harness.RunAsync(new RelateObjectOperation(ObjectReference.For("1", "acme"), RelationshipAction.Delete, [new RelatedPersonInput(PersonReference.ForId("p2"), NoAttributes)]), Ct);
        var unknownPerson = await harness.RunAsync(new RelatePersonOperation(PersonReference.ForId("ghost"), RelationshipAction.Add, [new RelationshipInput("1", "acme", NoAttributes)]), Ct);
        var unknownObject = await harness.RunAsync(new RelateObjectOperation(ObjectReference.For("1", "nope"), RelationshipAction.Add, [new RelatedPersonInput(PersonReference.ForId("p2"), NoAttributes)]), Ct);

        byPerson.Status.ShouldBe(OperationStatus.Applied);
        byObject.Status.ShouldBe(OperationStatus.Applied);
        unknownPerson.Status.ShouldBe(OperationStatus.Ignored);
        unknownObject.IgnoredReason.ShouldBe("the object does not exist");
        (await Related(harness, "acme")).ShouldBe(["p3"]);
        (await harness.PeopleAsync(Ct)).Count.ShouldBe(3);
    }

    [Fact]
    public async Task ARelationshipsAttributesHaveTheObjectsLimits()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        await SetUpAcmeWithPeopleAsync(harness, "p1");
        var big = Enumerable.Range(0, 101).ToDictionary(i => $"a{i}", _ => AttributeValue.FromString(new string('v', 1000)));

        var result = await harness.RunAsync(new RelatePersonOperation(PersonReference.ForId("p1"), RelationshipAction.Add, [new RelationshipInput("1", "acme", big)]), Ct);

        result.Error!.Field.ShouldBe("cio_relationships[0].relationship_attributes");
        result.Error.Message.ShouldBe("would hold 101,901 bytes of attributes; the limit is 100,000 bytes");
        (await Related(harness, "acme")).ShouldBe(["p1"]);
    }

    [Fact]
    public async Task DeletingAnObjectRemovesItsRelationshipsAndNotThePeople()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        await SetUpAcmeWithPeopleAsync(harness, "p1", "p2");

        var deleted = await harness.RunAsync(new DeleteObjectOperation(ObjectReference.For("1", "acme")), Ct);
        var again = await harness.RunAsync(new DeleteObjectOperation(ObjectReference.For("1", "acme")), Ct);

        deleted.Status.ShouldBe(OperationStatus.Applied);
        again.Status.ShouldBe(OperationStatus.Ignored);
        (await Directory(harness).PersonRelationshipsAsync(harness.WorkspaceId, PersonReference.ForId("p1"), Ct))!.ShouldBeEmpty();
        (await harness.PeopleAsync(Ct)).Count.ShouldBe(2);
    }

    [Theory]
    [InlineData("delete")]
    [InlineData("suppress")]
    public async Task DeletingOrSuppressingAPersonRemovesTheirRelationships(string how)
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        await SetUpAcmeWithPeopleAsync(harness, "p1", "p2");

        await harness.RunAsync(how == "delete" ? new DeletePersonOperation(PersonReference.ForId("p1")) : new SuppressOperation(PersonReference.ForId("p1")), Ct);

        (await Related(harness, "acme")).ShouldBe(["p2"]);
        var recreated = await harness.IdentifyAsync("p1", "{}", Ct);
        if (how == "delete")
        {
            (await Directory(harness).PersonRelationshipsAsync(harness.WorkspaceId, PersonReference.ForCioId(recreated.CioId!), Ct))!.ShouldBeEmpty();
        }
    }

    [Fact]
    public async Task AMergeCarriesTheRelationshipsThePrimaryLacksAndFillsTheAttributesOfSharedOnes()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        await harness.RunAsync(new CreateObjectTypeOperation("Accounts"), Ct);
        await harness.RunAsync(new IdentifyObjectOperation(ObjectReference.For("1", "acme"), NoAttributes), Ct);
        await harness.RunAsync(new IdentifyObjectOperation(ObjectReference.For("1", "globex"), NoAttributes), Ct);
        await harness.RunAsync(new IdentifyOperation(PersonReference.ForId("p"), NoAttributes, [new RelationshipInput("1", "acme", PeopleHarness.Body("""{"role":"owner"}"""))]), Ct);
        await harness.RunAsync(new IdentifyOperation(PersonReference.ForId("s"), NoAttributes,
            [new RelationshipInput("1", "acme", PeopleHarness.Body("""{"role":"member","seat":"b"}""")), new RelationshipInput("1", "globex", PeopleHarness.Body("""{"role":"admin"}"""))]), Ct);

        var merged = await harness.RunAsync(new MergeOperation(PersonReference.ForId("p"), PersonReference.ForId("s")), Ct);

        merged.Status.ShouldBe(OperationStatus.Applied);
        (await Related(harness, "acme")).ShouldBe(["p role=owner seat=b"]);
        (await Related(harness, "globex")).ShouldBe(["p role=admin"]);
    }

    [Fact]
    public async Task UndoingAMergeGivesTheSecondaryItsRelationshipsBackAndKeepsWhatChangedSince()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        await harness.RunAsync(new CreateObjectTypeOperation("Accounts"), Ct);
        foreach (var id in new[] { "acme", "globex", "initech" })
        {
            await harness.RunAsync(new IdentifyObjectOperation(ObjectReference.For("1", id), NoAttributes), Ct);
        }

        await harness.RunAsync(new IdentifyOperation(PersonReference.ForId("p"), NoAttributes, [new RelationshipInput("1", "acme", PeopleHarness.Body("""{"role":"owner"}"""))]), Ct);
        await harness.RunAsync(new IdentifyOperation(PersonReference.ForId("s"), NoAttributes,
        [
            new RelationshipInput("1", "acme", PeopleHarness.Body("""{"seat":"b"}""")),
            new RelationshipInput("1", "globex", PeopleHarness.Body("""{"role":"admin"}""")),
            new RelationshipInput("1", "initech", NoAttributes),
        ]), Ct);
        var merged = await harness.RunAsync(new MergeOperation(PersonReference.ForId("p"), PersonReference.ForId("s")), Ct);
        await harness.RunAsync(new RelatePersonOperation(PersonReference.ForId("p"), RelationshipAction.Add, [new RelationshipInput("1", "globex", PeopleHarness.Body("""{"role":"viewer"}"""))]), Ct);

        var undone = await harness.RunAsync(new UndoMergeOperation(merged.RecordId!.Value), Ct);

        undone.Status.ShouldBe(OperationStatus.Applied, undone.Error?.Message);
        undone.Kept.ShouldHaveSingleItem().ShouldStartWith("relationship ob");
        (await Related(harness, "acme")).ShouldBe(["p role=owner", "s seat=b"]);
        (await Related(harness, "globex")).ShouldBe(["p role=viewer", "s role=admin"]);
        (await Related(harness, "initech")).ShouldBe(["s"]);
    }

    [Fact]
    public async Task APersonsRelationshipsAreListedByTypeAndObjectId()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        await harness.RunAsync(new CreateObjectTypeOperation("Accounts"), Ct);
        await harness.RunAsync(new CreateObjectTypeOperation("Courses"), Ct);
        await harness.RunAsync(new IdentifyObjectOperation(ObjectReference.For("2", "french"), NoAttributes), Ct);
        await harness.RunAsync(new IdentifyObjectOperation(ObjectReference.For("1", "zeta"), NoAttributes), Ct);
        await harness.RunAsync(new IdentifyObjectOperation(ObjectReference.For("1", "acme"), NoAttributes), Ct);

        await harness.RunAsync(new IdentifyOperation(PersonReference.ForId("p"), NoAttributes,
            [new RelationshipInput("2", "french", NoAttributes), new RelationshipInput("1", "zeta", NoAttributes), new RelationshipInput("1", "acme", NoAttributes)]), Ct);

        var listed = await Directory(harness).PersonRelationshipsAsync(harness.WorkspaceId, PersonReference.ForId("p"), Ct);
        listed!.Select(r => $"{r.TypeName}/{r.ObjectId}").ShouldBe(["Accounts/acme", "Accounts/zeta", "Courses/french"]);
        (await Directory(harness).PersonRelationshipsAsync(harness.WorkspaceId, PersonReference.ForId("ghost"), Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task TheObjectListPagesAndSearchesByTheStartOfTheObjectIdOrTheExactCioObjectId()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        await harness.RunAsync(new CreateObjectTypeOperation("Accounts"), Ct);
        foreach (var id in new[] { "acme", "acorn", "beta", "gamma" })
        {
            await harness.RunAsync(new IdentifyObjectOperation(ObjectReference.For("1", id), NoAttributes), Ct);
        }

        var directory = Directory(harness);
        var second = await directory.PageObjectsAsync(harness.WorkspaceId, 1, null, 2, 2, Ct);
        var prefix = await directory.PageObjectsAsync(harness.WorkspaceId, 1, "ac", 0, 10, Ct);
        var beta = (await directory.GetObjectAsync(harness.WorkspaceId, 1, "beta", Ct))!.CioObjectId;
        var byCio = await directory.PageObjectsAsync(harness.WorkspaceId, 1, beta, 0, 10, Ct);

        second!.Items.Select(o => o.ObjectId).ShouldBe(["beta", "gamma"]);
        second.Total.ShouldBe(4);
        prefix!.Items.Select(o => o.ObjectId).ShouldBe(["acme", "acorn"]);
        byCio!.Items.Select(o => o.ObjectId).ShouldBe(["beta"]);
        (await directory.PageObjectsAsync(harness.WorkspaceId, 5, null, 0, 10, Ct)).ShouldBeNull();
    }

    private static ObjectDirectory Directory(PeopleHarness harness) => new(harness.Database.Factory);

    private static async Task SetUpAcmeWithPeopleAsync(PeopleHarness harness, params string[] people)
    {
        await harness.RunAsync(new CreateObjectTypeOperation("Accounts"), Ct);
        await harness.RunAsync(new IdentifyObjectOperation(ObjectReference.For("1", "acme"), NoAttributes), Ct);
        foreach (var id in people)
        {
            var result = await harness.RunAsync(new IdentifyOperation(PersonReference.ForId(id), NoAttributes, [new RelationshipInput("1", "acme", NoAttributes)]), Ct);
            result.Status.ShouldBe(OperationStatus.Applied, result.Error?.Message);
        }
    }

    /// <summary>The people related to an object, each as "id name=value …".</summary>
    private static async Task<List<string>> Related(PeopleHarness harness, string objectId)
    {
        var people = await Directory(harness).RelatedPeopleAsync(harness.WorkspaceId, 1, objectId, 0, 100, Ct);
        return [.. people!.Select(p => string.Join(' ', [p.Id!, .. p.Attributes.Select(a => $"{a.Key}={a.Value.Text}")])).Order(StringComparer.Ordinal)];
    }
}
