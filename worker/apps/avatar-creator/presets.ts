/** Avatar style presets: static content, the same for every user; their style prompt joins the user's prompt. */

export interface AvatarPreset {
  id: string;
  name: string;
  description: string;
  stylePrompt: string;
}

export const AVATAR_PRESETS = [
  {
    id: "professional-headshot",
    name: "Professional headshot",
    description: "Clean studio portrait for profiles and résumés.",
    stylePrompt: "professional corporate headshot, soft studio lighting, neutral grey backdrop, sharp focus, business attire",
  },
  {
    id: "casual-lifestyle",
    name: "Casual lifestyle",
    description: "Relaxed, natural-light portrait outdoors.",
    stylePrompt: "casual lifestyle portrait, natural daylight, shallow depth of field, warm tones, candid smile",
  },
  {
    id: "anime",
    name: "Anime",
    description: "Bold lines and bright colours in Japanese animation style.",
    stylePrompt: "anime style character portrait, clean cel shading, vibrant colours, expressive eyes",
  },
  {
    id: "3d-cartoon",
    name: "3D cartoon",
    description: "Soft, rounded 3D character like an animated film.",
    stylePrompt: "3d cartoon character portrait, soft global illumination, rounded features, pixar-like render",
  },
  {
    id: "watercolor",
    name: "Watercolour",
    description: "Loose painted portrait with soft washes of colour.",
    stylePrompt: "watercolour painting portrait, soft washes, visible paper texture, gentle pastel palette",
  },
  {
    id: "cyberpunk",
    name: "Cyberpunk",
    description: "Neon-lit night city look.",
    stylePrompt: "cyberpunk portrait, neon magenta and cyan rim light, rainy night city bokeh, futuristic details",
  },
  {
    id: "fantasy-hero",
    name: "Fantasy hero",
    description: "Epic character art for games and stories.",
    stylePrompt: "epic fantasy character portrait, dramatic lighting, ornate armour details, painterly concept art",
  },
  {
    id: "pixel-art",
    name: "Pixel art",
    description: "Retro 16-bit game sprite portrait.",
    stylePrompt: "pixel art portrait, 16-bit retro game style, limited palette, crisp pixels",
  },
  {
    id: "vintage-film",
    name: "Vintage film",
    description: "Grainy 1970s analogue photo.",
    stylePrompt: "vintage 1970s film photo portrait, kodak colours, film grain, slight vignette",
  },
  {
    id: "minimal-line-art",
    name: "Minimal line art",
    description: "Single-line drawing on a plain background.",
    stylePrompt: "minimal continuous line art portrait, black ink on off-white background, elegant simple strokes",
  },
] as const satisfies readonly AvatarPreset[];

export type AvatarPresetId = (typeof AVATAR_PRESETS)[number]["id"];

export const PRESET_IDS = AVATAR_PRESETS.map((p) => p.id) as [AvatarPresetId, ...AvatarPresetId[]];

export function presetById(id: string): AvatarPreset | undefined {
  return AVATAR_PRESETS.find((p) => p.id === id);
}
