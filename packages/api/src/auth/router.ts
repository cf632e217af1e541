import { authedProcedure, createTRPCRouter, publicProcedure } from '../trpc.ts';
import { changePasswordInput, loginInput, preferencesInput, registerInput } from './schemas.ts';
import * as auth from './service.ts';

export const authRouter = createTRPCRouter({
  register: publicProcedure
    .meta({ access: 'public' })
    .input(registerInput)
    .mutation(({ ctx, input }) => auth.register(ctx, input)),
  login: publicProcedure
    .meta({ access: 'public' })
    .input(loginInput)
    .mutation(({ ctx, input }) => auth.login(ctx, input)),
  logout: publicProcedure.meta({ access: 'public' }).mutation(({ ctx }) => auth.logout(ctx)),
  me: publicProcedure.meta({ access: 'public' }).query(({ ctx }) => ctx.user),
  changePassword: authedProcedure
    .meta({ access: 'authed' })
    .input(changePasswordInput)
    .mutation(({ ctx, input }) => auth.changePassword(ctx, input)),
  preferences: authedProcedure.meta({ access: 'authed' }).query(({ ctx }) => auth.preferences(ctx)),
  updatePreferences: authedProcedure
    .meta({ access: 'authed' })
    .input(preferencesInput)
    .mutation(({ ctx, input }) => auth.updatePreferences(ctx, input)),
});
