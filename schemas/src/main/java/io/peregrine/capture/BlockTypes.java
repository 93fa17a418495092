package io.peregrine.capture;

/**
 * libscap's savefile block types (pcapng-style blocks: u32 type, u32 total length, body, u32 total
 * length again, little endian). The {@code *_INT} ones are numbers used before libscap's first
 * release, still readable.
 */
final class BlockTypes {

    private BlockTypes() {
    }

    static final int SHB = 0x0A0D0D0A;
    static final int SHB_MAGIC = 0x1A2B3C4D;
    static final int MI = 0x201;
    static final int MI_INT = 0x8002ABCD;
    static final int PL_V1 = 0x202;
    static final int PL_V1_INT = 0x8000ABCD;
    static final int PL_V2 = 0x207;
    static final int PL_V2_INT = 0x8013ABCD;
    static final int PL_V3 = 0x209;
    static final int PL_V3_INT = 0x8014ABCD;
    static final int PL_V4 = 0x210;
    static final int PL_V5 = 0x211;
    static final int PL_V6 = 0x212;
    static final int PL_V7 = 0x213;
    static final int PL_V8 = 0x214;
    static final int PL_V9 = 0x215;
    static final int FDL = 0x203;
    static final int FDL_INT = 0x8001ABCD;
    static final int FDL_V2 = 0x218;
    static final int EV = 0x204;
    static final int EV_INT = 0x8010ABCD;
    static final int EV_V2 = 0x216;
    static final int EV_V2_LARGE = 0x221;
    static final int EVF = 0x208;
    static final int EVF_V2 = 0x217;
    static final int EVF_V2_LARGE = 0x222;
    static final int IL = 0x205;
    static final int IL_INT = 0x8011ABCD;
    static final int IL_V2 = 0x219;
    static final int UL = 0x206;
    static final int UL_INT = 0x8012ABCD;
    static final int UL_V2 = 0x220;

    static boolean isEvent(int type) {
        return switch (type) {
            case EV, EV_INT, EV_V2, EV_V2_LARGE, EVF, EVF_V2, EVF_V2_LARGE -> true;
            default -> false;
        };
    }

    static boolean isProcessList(int type) {
        return processListVersion(type) > 0;
    }

    /** 1..9 for a process list block type, 0 otherwise. */
    static int processListVersion(int type) {
        return switch (type) {
            case PL_V1, PL_V1_INT -> 1;
            case PL_V2, PL_V2_INT -> 2;
            case PL_V3, PL_V3_INT -> 3;
            case PL_V4 -> 4;
            case PL_V5 -> 5;
            case PL_V6 -> 6;
            case PL_V7 -> 7;
            case PL_V8 -> 8;
            case PL_V9 -> 9;
            default -> 0;
        };
    }
}
