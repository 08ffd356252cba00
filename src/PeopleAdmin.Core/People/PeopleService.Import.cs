namespace PeopleAdmin.Core.People;

public sealed partial class PeopleService
{
    /// <summary>
    /// The bulk path of identify: one writer operation for many people, new people inserted with prepared
    /// statements. Answers one result per item, as <see cref="ExecuteBatchAsync"/> would; when the chunk fails as a
    /// whole, every item carries that failure and nothing of the chunk is applied.
    /// </summary>
    public async Task<IReadOnlyList<OperationResult>> ImportPeopleAsync(
        OperationContext context, IReadOnlyList<IdentifyOperation> people, CancellationToken cancellationToken)
    {
        if (people.Count == 0)
        {
            return [];
        }

        var operation = new ImportPeopleOperation(people);
        var result = (await _writer.SubmitAsync(context, [operation], cancellationToken))[0];
        return result.Status == OperationStatus.Rejected ? [.. people.Select(_ => result)] : operation.Results;
    }

    /// <summary>
    /// A batch of an import's rows with the import's progress, in one transaction of the writer; the events it applied
    /// then run the rules, as events from any other way in do.
    /// </summary>
    internal async Task<OperationResult> ExecuteImportBatchAsync(OperationContext context, Imports.ImportBatchOperation batch, CancellationToken cancellationToken)
    {
        var result = (await _writer.SubmitAsync(context, [batch], cancellationToken))[0];
        if (result.Status == OperationStatus.Applied && batch.AppliedEvents.Count > 0)
        {
            _rules?.Committed(context, [.. batch.AppliedEvents.Select(e => e.Operation)], [.. batch.AppliedEvents.Select(e => e.Result)]);
        }

        return result;
    }
}
