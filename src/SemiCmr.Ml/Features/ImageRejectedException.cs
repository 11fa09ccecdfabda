namespace SemiCmr.Ml.Features;

/// <summary>An image that is refused before or while decoding; the message is meant for the user.</summary>
public sealed class ImageRejectedException(string message) : Exception(message);
