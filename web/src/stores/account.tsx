/**
 * Stores that live exactly as long as one signed-in user: created when the user's pages mount,
 * disposed (with the realtime connection) on logout, so nothing leaks from one user to the next.
 */
import { createContext, onCleanup, useContext, type JSX } from "solid-js";
import { realtime } from "../lib/realtime";
import { createBalanceStore, type BalanceStore } from "./balance";

interface AccountStores {
  balance: BalanceStore;
}

const AccountContext = createContext<AccountStores>();

export function AccountProvider(props: { children: JSX.Element }) {
  const stores: AccountStores = { balance: createBalanceStore() };
  realtime.start();
  onCleanup(() => realtime.stop());
  return <AccountContext.Provider value={stores}>{props.children}</AccountContext.Provider>;
}

export function useAccount(): AccountStores {
  const stores = useContext(AccountContext);
  if (!stores) throw new Error("useAccount() outside AccountProvider");
  return stores;
}
