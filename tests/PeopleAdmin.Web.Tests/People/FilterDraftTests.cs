using PeopleAdmin.Core.People.Audience;
using PeopleAdmin.Web.Features.People;

namespace PeopleAdmin.Web.Tests.People;

/// <summary>The filter builder's draft turns into the audience filter of the URL and back, and says which row is incomplete.</summary>
public sealed class FilterDraftTests
{
    [Theory]
    [InlineData("""{"and":[{"attribute":{"field":"plan","operator":"eq","value":"pro"}},{"not":{"attribute":{"field":"city","operator":"exists"}}}]}""")]
    [InlineData("""{"or":[{"segment":{"id":3}},{"not":{"segment":{"id":4}}},{"and":[{"attribute":{"field":"age","operator":"gt","value":"30"}},{"attribute":{"field":"renews","operator":"before","value":"2026-01-01"}}]}]}""")]
    [InlineData("""{"and":[{"object":{"object_type_id":"1","object_filter":{"attribute":{"field":"bill_date","operator":"within_next","value":"30","time_zone":"Europe/Berlin"}},"relationship_filter":{"attribute":{"field":"role","operator":"eq","value":"billing"}}}}]}""")]
    [InlineData("""{"and":[{"object":{"object_type_id":"2","object_filter":{"and":[]},"relationship_filter":{"not":{"attribute":{"field":"role","operator":"exists"}}}}},{"attribute":{"field":"seen","operator":"within_last","value":"7"}}]}""")]
    public void AFilterTheBuilderCanShowComesBackUnchanged(string json)
    {
        // Arrange
        AudienceFilterJson.TryParse(json, out var filter, out _).ShouldBeTrue();

        // Act
        var draft = FilterDraft.From(filter);
        var (back, problem) = draft!.ToFilter();

        // Assert
        problem.ShouldBeNull();
        AudienceFilterJson.Write(back!).ShouldBe(json);
    }

    [Fact]
    public void AFilterNestedDeeperThanTheBuilderShowsHasNoDraft()
    {
        // Arrange
        AudienceFilterJson.TryParse("""{"and":[{"or":[{"and":[{"segment":{"id":1}}]}]}]}""", out var filter, out _).ShouldBeTrue();

        // Act
        var draft = FilterDraft.From(filter);

        // Assert
        draft.ShouldBeNull();
    }

    [Fact]
    public void AnIncompleteRowIsNamedWithWhatItLacks()
    {
        // Arrange
        var draft = new FilterDraft();
        draft.Conditions.Add(new ConditionDraft { Name = "plan", Value = "pro" });
        var group = new FilterDraft();
        group.Conditions.Add(new ConditionDraft { Kind = ConditionKind.InSegment });
        draft.Groups.Add(group);
        var dated = new FilterDraft();
        dated.Conditions.Add(new ConditionDraft { Name = "renews", Operator = AttributeOperator.After, Value = "soon" });

        // Act
        var (filter, problem) = draft.ToFilter();
        var (_, datedProblem) = dated.ToFilter();

        // Assert
        filter.ShouldBeNull();
        problem.ShouldBe("Group 1, condition 1: choose a segment");
        datedProblem.ShouldNotBeNull().ShouldStartWith("Condition 1: the after condition on \"renews\" compares dates");
    }

    [Fact]
    public void AnObjectRowNeedsATypeAndSaysWhichSidesConditionIsIncomplete()
    {
        // Arrange
        var untyped = new FilterDraft();
        untyped.Conditions.Add(new ConditionDraft { Kind = ConditionKind.RelatedObject });
        var relative = new FilterDraft();
        relative.Conditions.Add(new ConditionDraft
        {
            Kind = ConditionKind.RelatedObject,
            ObjectTypeId = 1,
            ObjectAttribute = new ConditionDraft { Name = "bill_date", Operator = AttributeOperator.WithinNext, Value = "a month" },
        });

        // Act
        var (_, untypedProblem) = untyped.ToFilter();
        var (_, relativeProblem) = relative.ToFilter();

        // Assert
        untypedProblem.ShouldBe("Condition 1: choose an object type");
        relativeProblem.ShouldBe("Condition 1: on the object, the within_next condition on \"bill_date\" counts days; \"a month\" is not a whole number from 0 to 36500");
    }
}
