using Microsoft.Extensions.DependencyInjection;
using SemiCmr.Web.Datasets;

namespace SemiCmr.Web.Tests.Protection;

/// <summary>
/// A single-user app (environment Testing, not Development) whose folder moves throw an exception the app does not
/// expect, with the server path in its message, and one imported dataset: deleting it is an unhandled failure (500)
/// through a real route, with no endpoint written to throw.
/// </summary>
public sealed class BrokenDiskApp : IAsyncLifetime
{
    public SemiCmrApp App { get; } = SemiCmrApp.InTempFolders();
    public ExplodingMover Mover { get; } = new();
    public int DatasetId { get; private set; }

    public async ValueTask InitializeAsync()
    {
        App.TestServices = services => services.AddSingleton<IFolderMover>(Mover);
        DatasetId = await App.ImportFolder(TinyDatasets.Write(App.ImportRoot, "tiny"), "tiny");
        await App.WaitForDataset(DatasetId);
    }

    public async ValueTask DisposeAsync() => await App.DisposeAsync();

    public sealed class ExplodingMover : IFolderMover
    {
        public int Calls { get; private set; }

        public void Move(string from, string to)
        {
            Calls++;
            throw new InvalidOperationException($"The disk under {from} went away while moving it to {to}.");
        }
    }
}
