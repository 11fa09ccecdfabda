using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;

namespace SemiCmr.Web.Auth;

/// <summary>
/// What the user of a page may do, decided the way the server decides it: the <see cref="Policies.EditorOrAbove"/> policy
/// that every changing endpoint names (upload, budgets, labels, new runs), then <see cref="Actor.MayChange"/> for
/// cancelling and deleting what someone owns (editors their own, admins anything). Pages show only the actions these
/// allow, so nobody is offered a button the server would refuse; the services they call still check ownership.
/// </summary>
public sealed record UserRights(Actor Actor, bool MayEdit)
{
    /// <summary>Nobody signed in (or not known yet): no action is offered.</summary>
    public static UserRights None { get; } = new(Actor.Nobody, false);

    /// <summary>Cancel or delete a dataset or run owned by <paramref name="ownerId"/>: what the delete and cancel endpoints allow.</summary>
    public bool MayChange(string? ownerId) => MayEdit && Actor.MayChange(ownerId);

    /// <summary>The rights of a page's user (its cascading authentication state; absent in component tests without a user: none).</summary>
    public static async Task<UserRights> Of(Task<AuthenticationState>? state, IAuthorizationService authorization)
    {
        if (state is null) return None;
        var user = (await state).User;
        if (user.Identity?.IsAuthenticated != true) return None;
        bool mayEdit = (await authorization.AuthorizeAsync(user, Policies.EditorOrAbove)).Succeeded;
        return new UserRights(Actor.From(user), mayEdit);
    }
}
