/**
 * The pose library's one source of truth: categories, poses and the rig that turns a few joint
 * angles into a COCO-17 skeleton. The seed migration is generated from `POSES` by
 * scripts/pose-seed.mjs, so this module imports types only and runs in plain Node too.
 */
import type { Keypoint, Keypoints } from "../../../ai/skeleton";

export const CATEGORY_IDS = ["standing", "sitting", "walking", "action", "portrait", "fashion", "fitness", "dance"] as const;
export type CategoryId = (typeof CATEGORY_IDS)[number];

export const CATEGORY_NAMES: Record<CategoryId, string> = {
  standing: "Standing",
  sitting: "Sitting",
  walking: "Walking",
  action: "Action",
  portrait: "Portrait",
  fashion: "Fashion",
  fitness: "Fitness & Yoga",
  dance: "Dance",
};

export const DIFFICULTIES = ["beginner", "intermediate", "advanced"] as const;
export type Difficulty = (typeof DIFFICULTIES)[number];

/**
 * One bone's direction in screen degrees (0 points down, 90 to image right, 180 up), or
 * `[degrees, reach]` where reach < 1 foreshortens a bone that points toward the camera.
 */
export type Bone = number | readonly [degrees: number, reach: number];
/** Upper and lower bone of an arm or a leg. */
export type Limb = readonly [upper: Bone, lower: Bone];

export interface Rig {
  /** Body yaw in degrees: 0 faces the camera, 90 is a profile facing image right, 180 shows the back. */
  turn?: number;
  /** Torso tilt from upright in degrees, toward image right when positive; 180 is upside down. */
  lean?: number;
  /** Head roll relative to the torso, degrees. */
  tilt?: number;
  /** Head yaw relative to the body, degrees. */
  look?: number;
  /** The figure's own left and right (the left arm is on image right when facing the camera). */
  arms: readonly [left: Limb, right: Limb];
  legs: readonly [left: Limb, right: Limb];
}

export interface PoseDefinition {
  /** Stable slug: previews, generations and clients refer to it. */
  id: string;
  name: string;
  category: CategoryId;
  difficulty: Difficulty;
  tags: readonly string[];
  rig: Rig;
}

export interface LibraryPose {
  id: string;
  name: string;
  category: CategoryId;
  difficulty: Difficulty;
  tags: string[];
  keypoints: Keypoints;
  /** Catalog order, which is also the listing order. */
  position: number;
}

/** Body proportions in units of standing height (about eight heads). */
const BODY = {
  torso: 0.3,
  shoulderHalf: 0.115,
  hipHalf: 0.08,
  upperArm: 0.17,
  forearm: 0.15,
  thigh: 0.245,
  shin: 0.245,
  /** Shoulder line to nose. */
  neck: 0.11,
  noseForward: 0.035,
  eyeRise: 0.022,
  eyeHalf: 0.03,
  eyeForward: 0.02,
  earRise: 0.012,
  earHalf: 0.065,
  earBack: 0.015,
};

/** Keypoints stay this far from every edge, leaving room for the head and limb thickness. */
const MARGIN = 0.12;
/** Upper bound on the fit scale, so a crouch is not blown up far beyond a standing figure. */
const MAX_SCALE = 1;
/** Smallest projected shoulder and hip width: a body is never flat, and a profile should still read. */
const MIN_WIDTH = 0.3;

type Vec = readonly [number, number];

const radians = (degrees: number) => (degrees * Math.PI) / 180;
const along = (degrees: number, length: number): Vec => [Math.sin(radians(degrees)) * length, Math.cos(radians(degrees)) * length];
const add = (a: Vec, b: Vec): Vec => [a[0] + b[0], a[1] + b[1]];
const times = (v: Vec, k: number): Vec => [v[0] * k, v[1] * k];
const boneOf = (bone: Bone): readonly [number, number] => (typeof bone === "number" ? [bone, 1] : bone);

function limb(root: Vec, [upper, lower]: Limb, lengths: readonly [number, number]): [Vec, Vec] {
  const [a, ra] = boneOf(upper);
  const [b, rb] = boneOf(lower);
  const joint = add(root, along(a, lengths[0] * ra));
  return [joint, add(joint, along(b, lengths[1] * rb))];
}

/** The rig's skeleton in body units (y down), in COCO-17 order, before fitting to the frame. */
function articulate(rig: Rig): Vec[] {
  const turn = radians(rig.turn ?? 0);
  const lean = rig.lean ?? 0;
  const width = Math.sign(Math.cos(turn) || 1) * Math.max(MIN_WIDTH, Math.abs(Math.cos(turn)));
  const up = along(180 - lean, 1);
  const side: Vec = [Math.cos(radians(lean)), Math.sin(radians(lean))];
  const hip: Vec = [0, 0];
  const neck = add(hip, times(up, BODY.torso));
  const shoulders = [add(neck, times(side, BODY.shoulderHalf * width)), add(neck, times(side, -BODY.shoulderHalf * width))] as const;
  const hips = [add(hip, times(side, BODY.hipHalf * width)), add(hip, times(side, -BODY.hipHalf * width))] as const;

  const headRoll = lean + (rig.tilt ?? 0);
  const headUp = along(180 - headRoll, 1);
  const headSide: Vec = [Math.cos(radians(headRoll)), Math.sin(radians(headRoll))];
  const headYaw = turn + radians(rig.look ?? 0);
  const faceWidth = Math.cos(headYaw);
  const forward = Math.sin(headYaw);
  const face = add(neck, times(headUp, BODY.neck));
  const at = (rise: number, across: number) => add(face, add(times(headUp, rise), times(headSide, across)));

  const nose = at(0, forward * BODY.noseForward);
  const eyes = [1, -1].map((s) => at(BODY.eyeRise, s * BODY.eyeHalf * faceWidth + forward * BODY.eyeForward));
  const ears = [1, -1].map((s) => at(BODY.earRise, s * BODY.earHalf * faceWidth - forward * BODY.earBack));
  const [leftElbow, leftWrist] = limb(shoulders[0], rig.arms[0], [BODY.upperArm, BODY.forearm]);
  const [rightElbow, rightWrist] = limb(shoulders[1], rig.arms[1], [BODY.upperArm, BODY.forearm]);
  const [leftKnee, leftAnkle] = limb(hips[0], rig.legs[0], [BODY.thigh, BODY.shin]);
  const [rightKnee, rightAnkle] = limb(hips[1], rig.legs[1], [BODY.thigh, BODY.shin]);
  return [nose, eyes[0]!, eyes[1]!, ears[0]!, ears[1]!, shoulders[0], shoulders[1], leftElbow, rightElbow, leftWrist, rightWrist, hips[0], hips[1], leftKnee, rightKnee, leftAnkle, rightAnkle];
}

const round = (v: number) => Math.round(v * 10_000) / 10_000;

/** Scales uniformly (proportions kept) and centres the skeleton inside the margins of a square frame. */
function fitToSquare(points: Vec[]): Keypoint[] {
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const room = 1 - 2 * MARGIN;
  const scale = Math.min(MAX_SCALE, room / Math.max(maxX - minX, 1e-6), room / Math.max(maxY - minY, 1e-6));
  const cx = (minX + maxX) / 2;
  const cy = (minY + maxY) / 2;
  return points.map(([x, y]) => [round(0.5 + (x - cx) * scale), round(0.5 + (y - cy) * scale)] as const);
}

/** A rig's COCO-17 keypoints, normalized 0..1 for a square image. */
export function skeleton(rig: Rig): Keypoints {
  return fitToSquare(articulate(rig));
}

const mirrorBone = (bone: Bone): Bone => (typeof bone === "number" ? -bone : [-bone[0], bone[1]]);
/** The same limb on the other side of the body (angles mirrored). */
const mirror = ([upper, lower]: Limb): Limb => [mirrorBone(upper), mirrorBone(lower)];
/** A left limb and its mirror image: `[left, right]`. */
const both = (upper: Bone, lower: Bone): readonly [Limb, Limb] => [[upper, lower], mirror([upper, lower])];
const pair = (left: Limb, right: Limb): readonly [Limb, Limb] => [left, right];

// Limbs written for the figure's left side; `mirror` gives the right.
const RELAXED: Limb = [8, 4];
const HAND_ON_HIP: Limb = [40, -40];
const FOLDED: Limb = [15, -100];
const HAND_TO_CHIN: Limb = [[-10, 0.6], -153];
const HAND_IN_HAIR: Limb = [150, -97];
const WAVE: Limb = [125, 165];
const STRAIGHT: Limb = [3, 1];

// biome-ignore format: one pose a line keeps the catalog readable as a table
const DEFINITIONS: readonly PoseDefinition[] = [
  // Standing
  { id: "standing-relaxed", name: "Relaxed Stand", category: "standing", difficulty: "beginner", tags: ["relaxed", "neutral", "casual", "full-body"], rig: { arms: both(8, 4), legs: both(3, 1) } },
  { id: "standing-hands-on-hips", name: "Hands on Hips", category: "standing", difficulty: "beginner", tags: ["confident", "power", "full-body"], rig: { arms: both(40, -40), legs: both(8, 3) } },
  { id: "standing-arms-crossed", name: "Arms Crossed", category: "standing", difficulty: "beginner", tags: ["serious", "business", "confident"], rig: { arms: both(15, -100), legs: both(4, 2) } },
  { id: "standing-wave", name: "Friendly Wave", category: "standing", difficulty: "beginner", tags: ["greeting", "happy", "hello"], rig: { tilt: 6, arms: pair(WAVE, mirror(RELAXED)), legs: both(4, 2) } },
  { id: "standing-victory", name: "Victory Arms", category: "standing", difficulty: "beginner", tags: ["celebration", "victory", "joy"], rig: { arms: both(155, 165), legs: both(7, 3) } },
  { id: "standing-t-pose", name: "T-Pose", category: "standing", difficulty: "beginner", tags: ["reference", "neutral", "rigging"], rig: { arms: both(90, 90), legs: both(4, 2) } },
  { id: "standing-three-quarter", name: "Three-Quarter Stand", category: "standing", difficulty: "intermediate", tags: ["angled", "natural", "casual"], rig: { turn: 35, arms: pair([12, 6], [-4, -2]), legs: pair([6, 2], [-2, 0]) } },
  { id: "standing-thinking", name: "Thinking Pose", category: "standing", difficulty: "intermediate", tags: ["thoughtful", "curious", "pondering"], rig: { tilt: -8, arms: pair(FOLDED, mirror(HAND_TO_CHIN)), legs: both(4, 2) } },
  { id: "standing-profile", name: "Side Profile", category: "standing", difficulty: "beginner", tags: ["profile", "side", "reference"], rig: { turn: 90, arms: pair([4, 8], [-3, 2]), legs: pair([2, 0], [-2, 0]) } },

  // Sitting
  { id: "sitting-chair", name: "Chair Sit", category: "sitting", difficulty: "beginner", tags: ["chair", "relaxed", "office"], rig: { turn: 35, arms: pair([15, 75], [10, 70]), legs: pair([[70, 0.8], 3], [[75, 0.8], 0]) } },
  { id: "sitting-chair-side", name: "Chair Sit, Side View", category: "sitting", difficulty: "beginner", tags: ["chair", "profile", "side"], rig: { turn: 90, arms: pair([10, 70], [6, 75]), legs: pair([85, 0], [83, -4]) } },
  { id: "sitting-cross-legged", name: "Cross-Legged", category: "sitting", difficulty: "beginner", tags: ["floor", "meditation", "calm"], rig: { arms: both(20, 30), legs: both([70, 0.8], -80) } },
  { id: "sitting-hugging-knees", name: "Hugging Knees", category: "sitting", difficulty: "intermediate", tags: ["floor", "cozy", "casual"], rig: { turn: 90, lean: 15, tilt: 10, arms: pair([40, 100], [45, 105]), legs: pair([145, 10], [140, 8]) } },
  { id: "sitting-lean-back", name: "Leaning Back on Hands", category: "sitting", difficulty: "intermediate", tags: ["floor", "relaxed", "beach"], rig: { turn: 90, lean: -25, arms: pair([-30, -30], [-25, -25]), legs: pair([110, 45], [85, 85]) } },
  { id: "sitting-side-saddle", name: "Side-Saddle Sit", category: "sitting", difficulty: "intermediate", tags: ["floor", "elegant", "graceful"], rig: { turn: 20, tilt: 8, arms: pair([25, 10], [-5, 40]), legs: pair([[50, 0.7], -100], [[60, 0.7], -95]) } },
  { id: "sitting-chin-on-hand", name: "Chin on Hand, Seated", category: "sitting", difficulty: "intermediate", tags: ["chair", "thoughtful", "pensive"], rig: { turn: 35, tilt: -8, arms: pair([15, 75], [[30, 0.7], 175]), legs: pair([[70, 0.8], 3], [[75, 0.8], 0]) } },
  { id: "sitting-kneeling", name: "Kneeling Upright", category: "sitting", difficulty: "beginner", tags: ["kneeling", "floor", "upright"], rig: { arms: both(8, 4), legs: both(5, [0, 0.3]) } },
  { id: "sitting-seiza", name: "Seiza", category: "sitting", difficulty: "intermediate", tags: ["kneeling", "floor", "calm", "japanese"], rig: { turn: 90, arms: pair([15, 70], [12, 72]), legs: pair([75, -95], [73, -97]) } },

  // Walking
  { id: "walking-stride", name: "Confident Stride", category: "walking", difficulty: "beginner", tags: ["street", "movement", "confident"], rig: { turn: 90, arms: pair([-20, -10], [20, 40]), legs: pair([25, 10], [-20, -35]) } },
  { id: "walking-toward-camera", name: "Walking Toward Camera", category: "walking", difficulty: "beginner", tags: ["street", "casual", "front"], rig: { arms: pair([12, 8], [[-5, 0.9], [-2, 0.8]]), legs: pair([[4, 0.85], [2, 0.9]], STRAIGHT) } },
  { id: "walking-away", name: "Walking Away", category: "walking", difficulty: "intermediate", tags: ["back-view", "street", "mysterious"], rig: { turn: 180, arms: pair([-10, -6], [[6, 0.9], 3]), legs: pair([[-3, 0.9], [-1, 0.85]], [2, 1]) } },
  { id: "walking-stairs", name: "Climbing Stairs", category: "walking", difficulty: "intermediate", tags: ["stairs", "movement", "urban"], rig: { turn: 90, lean: 8, arms: pair([-25, -10], [25, 60]), legs: pair([65, 0], [-10, -15]) } },
  { id: "walking-phone", name: "Walking with Phone", category: "walking", difficulty: "beginner", tags: ["phone", "commute", "urban"], rig: { turn: 90, tilt: 22, arms: pair([15, 130], [-12, -4]), legs: pair([18, 6], [-15, -28]) } },
  { id: "walking-coffee", name: "Coffee Walk", category: "walking", difficulty: "beginner", tags: ["coffee", "lifestyle", "casual"], rig: { turn: 90, arms: pair([5, 95], [-15, -8]), legs: pair([20, 8], [-18, -30]) } },
  { id: "walking-hands-in-pockets", name: "Hands-in-Pockets Stroll", category: "walking", difficulty: "beginner", tags: ["casual", "relaxed", "street"], rig: { turn: 90, arms: pair([10, -15], [8, -12]), legs: pair([18, 5], [-14, -25]) } },
  { id: "walking-brisk", name: "Brisk Walk", category: "walking", difficulty: "intermediate", tags: ["fitness", "movement", "energetic"], rig: { turn: 90, lean: 5, arms: pair([-35, 5], [35, 85]), legs: pair([30, 15], [-25, -45]) } },
  { id: "walking-look-back", name: "Looking Back Mid-Step", category: "walking", difficulty: "intermediate", tags: ["street", "candid", "over-the-shoulder"], rig: { turn: 90, look: -120, arms: pair([-15, -8], [15, 30]), legs: pair([22, 8], [-18, -32]) } },

  // Action
  { id: "action-sprint", name: "Sprint", category: "action", difficulty: "intermediate", tags: ["running", "sport", "speed"], rig: { turn: 90, lean: 15, arms: pair([50, 150], [-50, -10]), legs: pair([65, -10], [-35, -70]) } },
  { id: "action-star-jump", name: "Star Jump", category: "action", difficulty: "beginner", tags: ["jump", "energy", "celebration"], rig: { arms: both(145, 150), legs: both(25, 22) } },
  { id: "action-tuck-jump", name: "Tuck Jump", category: "action", difficulty: "advanced", tags: ["jump", "athletic", "airborne"], rig: { arms: both(150, 170), legs: both([160, 0.5], 5) } },
  { id: "action-boxing-jab", name: "Boxing Jab", category: "action", difficulty: "intermediate", tags: ["boxing", "fight", "martial-arts"], rig: { turn: 60, lean: 5, arms: pair([95, 92], [20, 160]), legs: pair([20, 10], [-25, -10]) } },
  { id: "action-high-kick", name: "High Kick", category: "action", difficulty: "advanced", tags: ["martial-arts", "karate", "kick"], rig: { turn: 90, lean: -20, arms: pair([30, 150], [-40, -120]), legs: pair([100, 105], [-5, -3]) } },
  { id: "action-heros-landing", name: "Hero's Landing", category: "action", difficulty: "advanced", tags: ["superhero", "dramatic", "cinematic"], rig: { lean: 15, tilt: -10, arms: pair([10, 5], [-110, -100]), legs: pair([[35, 0.6], -10], [-60, -5]) } },
  { id: "action-pitch", name: "Baseball Pitch", category: "action", difficulty: "advanced", tags: ["sport", "baseball", "throw"], rig: { turn: 90, lean: -10, arms: pair([80, 70], [-120, -160]), legs: pair([40, 0], [-35, -20]) } },
  { id: "action-jump-shot", name: "Jump Shot", category: "action", difficulty: "intermediate", tags: ["basketball", "sport", "jump"], rig: { arms: pair([160, 175], [-150, -178]), legs: both(2, -4) } },
  { id: "action-soccer-kick", name: "Soccer Kick", category: "action", difficulty: "intermediate", tags: ["soccer", "football", "sport", "kick"], rig: { turn: 90, lean: -10, arms: pair([-80, -80], [70, 60]), legs: pair([45, 40], [-8, 0]) } },

  // Portrait
  { id: "portrait-classic", name: "Classic Headshot Stance", category: "portrait", difficulty: "beginner", tags: ["headshot", "professional", "linkedin"], rig: { turn: 20, tilt: 5, arms: both(8, 4), legs: both(3, 1) } },
  { id: "portrait-hand-under-chin", name: "Hand Under Chin", category: "portrait", difficulty: "beginner", tags: ["thoughtful", "editorial", "close-up"], rig: { tilt: 6, arms: pair(HAND_TO_CHIN, mirror(RELAXED)), legs: both(3, 1) } },
  { id: "portrait-head-tilt", name: "Gentle Head Tilt", category: "portrait", difficulty: "beginner", tags: ["soft", "friendly", "close-up"], rig: { tilt: 15, arms: both(8, 4), legs: both(3, 1) } },
  { id: "portrait-over-shoulder", name: "Over-the-Shoulder Glance", category: "portrait", difficulty: "intermediate", tags: ["glamour", "elegant", "over-the-shoulder"], rig: { turn: 140, look: -110, arms: both(6, 3), legs: pair([2, 0], [-4, -1]) } },
  { id: "portrait-hands-framing-face", name: "Hands Framing Face", category: "portrait", difficulty: "intermediate", tags: ["beauty", "playful", "close-up"], rig: { arms: both([-10, 0.6], -168), legs: both(3, 1) } },
  { id: "portrait-crossed-arms-angle", name: "Crossed Arms, Three-Quarter", category: "portrait", difficulty: "beginner", tags: ["corporate", "confident", "headshot"], rig: { turn: 30, arms: both(15, -100), legs: both(4, 2) } },
  { id: "portrait-hand-in-hair", name: "Hand in Hair", category: "portrait", difficulty: "intermediate", tags: ["glamour", "beauty", "editorial"], rig: { tilt: -8, arms: pair(HAND_IN_HAIR, mirror(RELAXED)), legs: both(4, 2) } },
  { id: "portrait-looking-up", name: "Looking Up", category: "portrait", difficulty: "intermediate", tags: ["dreamy", "hopeful", "profile"], rig: { turn: 70, tilt: -25, arms: pair([6, 3], [-4, -2]), legs: pair([3, 1], [-2, 0]) } },
  { id: "portrait-wall-lean", name: "Shoulder Against Wall", category: "portrait", difficulty: "intermediate", tags: ["casual", "lean", "urban"], rig: { turn: 45, lean: -8, arms: pair(FOLDED, mirror(FOLDED)), legs: pair([-10, -8], [6, -6]) } },

  // Fashion
  { id: "fashion-contrapposto", name: "Contrapposto", category: "fashion", difficulty: "intermediate", tags: ["classic", "editorial", "model"], rig: { lean: -4, tilt: 6, arms: pair(HAND_ON_HIP, mirror(RELAXED)), legs: pair([4, 2], [12, -6]) } },
  { id: "fashion-power-stance", name: "100% Confidence", category: "fashion", difficulty: "beginner", tags: ["power", "confident", "bold"], rig: { arms: both(40, -40), legs: both(14, 8) } },
  { id: "fashion-catwalk", name: "Catwalk Crossover", category: "fashion", difficulty: "intermediate", tags: ["runway", "catwalk", "model"], rig: { lean: -4, arms: pair([10, 6], [-14, -8]), legs: pair([-14, -4], [[8, 0.9], [2, 0.85]]) } },
  { id: "fashion-hands-in-pockets", name: "Hands in Pockets", category: "fashion", difficulty: "beginner", tags: ["casual", "street-style", "menswear"], rig: { arms: both(12, -20), legs: both(6, 2) } },
  { id: "fashion-hand-on-hip-angle", name: "Hand on Hip, Three-Quarter", category: "fashion", difficulty: "beginner", tags: ["editorial", "model", "angled"], rig: { turn: 35, arms: pair(HAND_ON_HIP, mirror(RELAXED)), legs: pair([3, 1], [-12, 4]) } },
  { id: "fashion-jacket-over-shoulder", name: "Jacket Over the Shoulder", category: "fashion", difficulty: "intermediate", tags: ["menswear", "style", "smart-casual"], rig: { turn: 25, arms: pair([[10, 0.9], -20], [-20, 165]), legs: pair([4, 2], [-8, 0]) } },
  { id: "fashion-wall-lean", name: "Foot-Up Wall Lean", category: "fashion", difficulty: "intermediate", tags: ["lean", "street-style", "urban"], rig: { lean: -6, arms: pair([25, -35], [-10, 15]), legs: pair([[30, 0.7], -30], STRAIGHT) } },
  { id: "fashion-editorial-angles", name: "Editorial Angles", category: "fashion", difficulty: "advanced", tags: ["avant-garde", "editorial", "high-fashion"], rig: { lean: 5, tilt: -12, arms: pair(HAND_IN_HAIR, [-40, 40]), legs: pair([20, 5], [-5, -12]) } },
  { id: "fashion-stool-perch", name: "Stool Perch", category: "fashion", difficulty: "intermediate", tags: ["seated", "studio", "model"], rig: { turn: 30, arms: pair([10, 40], [-15, 20]), legs: pair([[40, 0.6], 0], [[30, 0.5], -40]) } },

  // Fitness & yoga
  { id: "fitness-tree", name: "Tree Pose", category: "fitness", difficulty: "intermediate", tags: ["yoga", "balance", "calm"], rig: { arms: both(160, -131), legs: pair([[60, 0.8], -120], STRAIGHT) } },
  { id: "fitness-warrior-two", name: "Warrior II", category: "fitness", difficulty: "intermediate", tags: ["yoga", "strength", "stance"], rig: { look: 60, arms: both(90, 90), legs: pair([60, 0], [-45, -45]) } },
  { id: "fitness-downward-dog", name: "Downward Dog", category: "fitness", difficulty: "intermediate", tags: ["yoga", "stretch", "inversion"], rig: { turn: 90, lean: 135, arms: pair([45, 45], [43, 43]), legs: pair([-35, -35], [-33, -33]) } },
  { id: "fitness-plank", name: "Plank", category: "fitness", difficulty: "beginner", tags: ["core", "workout", "strength"], rig: { turn: 90, lean: 78, arms: pair([0, 0], [2, 2]), legs: pair([-78, -80], [-76, -78]) } },
  { id: "fitness-squat", name: "Bodyweight Squat", category: "fitness", difficulty: "beginner", tags: ["legs", "workout", "gym"], rig: { turn: 90, lean: 35, arms: pair([85, 85], [83, 83]), legs: pair([80, -15], [78, -17]) } },
  { id: "fitness-runners-lunge", name: "Runner's Lunge", category: "fitness", difficulty: "intermediate", tags: ["yoga", "stretch", "legs"], rig: { turn: 90, lean: 60, arms: pair([5, 0], [3, -2]), legs: pair([80, 0], [-60, -85]) } },
  { id: "fitness-childs-pose", name: "Child's Pose", category: "fitness", difficulty: "beginner", tags: ["yoga", "rest", "stretch"], rig: { turn: 90, lean: 115, arms: pair([92, 90], [94, 92]), legs: pair([55, -90], [53, -92]) } },
  { id: "fitness-dancers-pose", name: "Dancer's Pose", category: "fitness", difficulty: "advanced", tags: ["yoga", "balance", "flexibility"], rig: { turn: 90, lean: 35, arms: pair([-40, -60], [130, 130]), legs: pair([-60, -150], [0, 0]) } },
  { id: "fitness-handstand", name: "Handstand", category: "fitness", difficulty: "advanced", tags: ["gymnastics", "inversion", "strength"], rig: { lean: 180, arms: both(5, 3), legs: both(176, 178) } },
  { id: "fitness-bicep-curl", name: "Dumbbell Curl", category: "fitness", difficulty: "beginner", tags: ["gym", "strength", "arms"], rig: { arms: both(6, [170, 0.6]), legs: both(6, 2) } },

  // Dance
  { id: "dance-arabesque", name: "Arabesque", category: "dance", difficulty: "advanced", tags: ["ballet", "balance", "grace"], rig: { turn: 90, lean: 15, arms: pair([-100, -95], [110, 105]), legs: pair([-95, -95], [0, 0]) } },
  { id: "dance-pirouette", name: "Pirouette Passé", category: "dance", difficulty: "advanced", tags: ["ballet", "turn", "spin"], rig: { arms: both(20, -70), legs: pair([[70, 0.8], -125], STRAIGHT) } },
  { id: "dance-disco-point", name: "Disco Point", category: "dance", difficulty: "beginner", tags: ["disco", "retro", "fun"], rig: { lean: -8, tilt: 12, arms: pair([150, 150], mirror(HAND_ON_HIP)), legs: pair([8, 3], [-15, -5]) } },
  { id: "dance-grand-jete", name: "Grand Jeté", category: "dance", difficulty: "advanced", tags: ["ballet", "leap", "airborne"], rig: { turn: 90, arms: pair([140, 150], [-120, -130]), legs: pair([95, 95], [-95, -95]) } },
  { id: "dance-hip-hop-stance", name: "Hip-Hop Stance", category: "dance", difficulty: "intermediate", tags: ["street", "urban", "hip-hop"], rig: { lean: 5, tilt: -10, arms: both(30, -60), legs: both(25, -8) } },
  { id: "dance-salsa-turn", name: "Salsa Turn", category: "dance", difficulty: "intermediate", tags: ["latin", "partner", "spin"], rig: { turn: 30, arms: pair([175, -170], [-80, -70]), legs: pair([5, 0], [-15, 5]) } },
  { id: "dance-first-position", name: "Ballet First Position", category: "dance", difficulty: "beginner", tags: ["ballet", "classical", "elegant"], rig: { arms: both(20, -60), legs: both(-2, 1) } },
  { id: "dance-jazz-hands", name: "Jazz Hands", category: "dance", difficulty: "beginner", tags: ["broadway", "fun", "showtime"], rig: { arms: both(45, 150), legs: both(10, 5) } },
  { id: "dance-shuffle-kick", name: "Shuffle Kick", category: "dance", difficulty: "intermediate", tags: ["tap", "swing", "kick"], rig: { turn: 90, lean: -5, arms: pair([-45, -20], [50, 90]), legs: pair([70, 10], [-3, -1]) } },
];

/** Every library pose with its skeleton, in catalog order (positions start at 1). */
export const POSES: readonly LibraryPose[] = DEFINITIONS.map((d, i) => ({
  id: d.id,
  name: d.name,
  category: d.category,
  difficulty: d.difficulty,
  tags: [...d.tags],
  keypoints: skeleton(d.rig),
  position: i + 1,
}));
