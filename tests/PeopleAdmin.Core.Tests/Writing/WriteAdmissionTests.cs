using PeopleAdmin.Core.People;
using PeopleAdmin.Core.People.Writing;

namespace PeopleAdmin.Core.Tests.Writing;

/// <summary>The writer's bound on the input it holds at once, by size.</summary>
public sealed class WriteAdmissionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ASubmissionThatWouldGoOverTheBoundWaitsUntilEnoughIsApplied()
    {
        using var admission = new WriteAdmission(capacityBytes: 100);
        await admission.EnterAsync(60, Ct);

        var second = admission.EnterAsync(60, Ct);
        var waitedWhileFull = !second.IsCompleted;
        admission.Leave(60);
        await second;

        waitedWhileFull.ShouldBeTrue();
        admission.HeldBytes.ShouldBe(60);
    }

    [Fact]
    public async Task SubmissionsWithinTheBoundEnterAtOnce()
    {
        using var admission = new WriteAdmission(capacityBytes: 100);

        await admission.EnterAsync(40, Ct);
        var second = admission.EnterAsync(60, Ct);

        second.IsCompleted.ShouldBeTrue();
        admission.HeldBytes.ShouldBe(100);
    }

    [Fact]
    public async Task ASubmissionLargerThanTheBoundEntersAloneOnceNothingIsHeld()
    {
        using var admission = new WriteAdmission(capacityBytes: 100);
        await admission.EnterAsync(10, Ct);

        var huge = admission.EnterAsync(1_000, Ct);
        var waited = !huge.IsCompleted;
        admission.Leave(10);
        await huge;

        waited.ShouldBeTrue();
        admission.HeldBytes.ShouldBe(1_000);
    }

    [Fact]
    public void AnIdentifyIsCountedByTheSizeOfItsAttributes()
    {
        var small = new IdentifyOperation(PersonReference.ForId("a"), new Dictionary<string, AttributeValue>());
        var large = small with { Attributes = new Dictionary<string, AttributeValue> { ["bio"] = AttributeValue.FromString(new string('x', 1000)) } };

        var difference = large.EstimatedBytes - small.EstimatedBytes;

        difference.ShouldBe(2 * (3 + 1000));
    }
}
